package ui

import (
	"time"

	"github.com/aiinfra/studio/app/query"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// navItems are the primary navigation entries.
var navItems = []struct {
	section section
	label   string
	href    string
	key     string // shortcut after "g"
}{
	{sectionDashboard, "Dashboard", "/", "d"},
	{sectionExperiments, "Experiments", "/experiments", "e"},
	{sectionRegistry, "Registry", "/registry", "r"},
	{sectionDeployments, "Deployments", "/deployments", "p"},
	{sectionTraces, "Traces", "/traces", "t"},
}

// actionHelp is the action that opens the keyboard shortcuts overlay.
const actionHelp = "studio-help"

// TopBar is the header with the brand, the primary navigation (the
// current section marked with aria-current) and the global actions.
type TopBar struct {
	app.Compo
	// Section is the current navigation section.
	Section section
}

// Render draws the header.
func (b *TopBar) Render() app.UI {
	return app.Header().Class("topbar").Body(
		app.A().Class("brand").Href("/").Aria("label", appName+" home").Body(
			app.Raw(logoSVG),
			app.Span().Class("brand-name").Text(appName),
		),
		app.Nav().Class("mainnav").Aria("label", "Primary").Body(
			app.Ul().Body(app.Range(navItems).Slice(func(i int) app.UI {
				it := navItems[i]
				a := app.A().Href(it.href).Text(it.label).Title(it.label + " (g " + it.key + ")")
				if it.section == b.Section {
					a = a.Aria("current", "page").Class("current")
				}
				return app.Li().Body(a)
			})),
		),
		app.Div().Class("topbar-actions").Body(
			app.A().Class("btn btn-primary btn-sm").Href("/runs/new").Title("New run (n)").Body(
				app.Span().Aria("hidden", true).Text("+ "),
				app.Text("New run"),
			),
			&InstallButton{},
			&ThemeToggle{},
			app.Button().
				Type("button").
				Class("btn btn-ghost btn-icon").
				Aria("label", "Keyboard shortcuts").
				Title("Keyboard shortcuts (?)").
				OnClick(b.openHelp).
				Text("?"),
		),
	)
}

func (b *TopBar) openHelp(ctx app.Context, e app.Event) {
	ctx.NewAction(actionHelp)
}

// logoSVG is the brand mark (static, so Raw is safe).
const logoSVG = `<svg class="brand-mark" viewBox="0 0 24 24" aria-hidden="true" xmlns="http://www.w3.org/2000/svg"><rect x="2" y="2" width="20" height="20" rx="6" fill="currentColor" opacity=".16"/><path d="M7 16.5 10.5 9l3 5 2-3.2L17.5 16.5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>`

// themeKey is the localStorage key of the chosen theme.
const themeKey = "studio-theme"

// ThemeToggle switches between the light and dark themes. Until the user
// picks one the OS preference applies; the choice persists in
// localStorage and is applied as data-theme on <html> (an inline script
// in the page head applies it before first paint).
type ThemeToggle struct {
	app.Compo
	dark bool
}

// OnMount reads the current theme.
func (t *ThemeToggle) OnMount(ctx app.Context) {
	t.dark = effectiveTheme() == "dark"
}

// effectiveTheme returns the stored theme, else the OS preference.
func effectiveTheme() string {
	ls := app.Window().Get("localStorage")
	if ls.Truthy() {
		if v := ls.Call("getItem", themeKey); v.Truthy() {
			if s := v.String(); s == "dark" || s == "light" {
				return s
			}
		}
	}
	if mq := app.Window().Call("matchMedia", "(prefers-color-scheme: dark)"); mq.Truthy() && mq.Get("matches").Bool() {
		return "dark"
	}
	return "light"
}

// Render draws the toggle.
func (t *ThemeToggle) Render() app.UI {
	label, icon := "Switch to dark theme", "☾"
	if t.dark {
		label, icon = "Switch to light theme", "☀"
	}
	return app.Button().
		Type("button").
		Class("btn btn-ghost btn-icon").
		DataSet("testid", "theme-toggle").
		Aria("label", label).
		Title(label).
		OnClick(t.toggle).
		Body(app.Span().Aria("hidden", true).Text(icon))
}

func (t *ThemeToggle) toggle(ctx app.Context, e app.Event) {
	t.dark = !t.dark
	theme := "light"
	if t.dark {
		theme = "dark"
	}
	app.Window().Get("document").Get("documentElement").Call("setAttribute", "data-theme", theme)
	if ls := app.Window().Get("localStorage"); ls.Truthy() {
		ls.Call("setItem", themeKey, theme)
	}
}

// InstallButton offers to install the app when the browser allows it.
// Safari has no install prompt: the button shows how to add the app to
// the home screen instead.
type InstallButton struct {
	app.Compo
	installable bool
	apple       bool
	help        bool
}

// OnMount reads the install state.
func (b *InstallButton) OnMount(ctx app.Context) { b.refresh(ctx) }

// OnAppInstallChange follows the browser's install state.
func (b *InstallButton) OnAppInstallChange(ctx app.Context) { b.refresh(ctx) }

func (b *InstallButton) refresh(ctx app.Context) {
	b.installable = ctx.IsAppInstallable()
	b.apple = ctx.IsAppleBrowser()
}

// Render draws the button, or nothing.
func (b *InstallButton) Render() app.UI {
	if !b.installable {
		return app.Span().Class("install-slot")
	}
	return app.Span().Class("install-slot").Body(
		app.Button().
			Type("button").
			Class("btn btn-sm").
			DataSet("testid", "install-button").
			OnClick(b.install).
			Text("Install app"),
		app.If(b.help, func() app.UI {
			return app.Div().Class("popover").Attr("role", "note").Text("In Safari, choose Share, then “Add to Home Screen” (or File → Add to Dock on a Mac).")
		}),
	)
}

func (b *InstallButton) install(ctx app.Context, e app.Event) {
	if b.apple {
		b.help = !b.help
		return
	}
	ctx.ShowAppInstallPrompt()
}

// UpdateBanner offers to reload when a new version of the app has been
// installed by the service worker.
type UpdateBanner struct {
	app.Compo
	available bool
	dismissed bool
}

// OnMount reads the update state (an update may predate the wasm).
func (u *UpdateBanner) OnMount(ctx app.Context) { u.available = updateAvailable(ctx) }

// OnAppUpdate shows the banner.
func (u *UpdateBanner) OnAppUpdate(ctx app.Context) {
	u.available = updateAvailable(ctx)
	u.dismissed = false
}

// updateAvailable reports whether a new version waits. The first install
// of the service worker looks like an update to go-app (the new worker
// activates and claims the page); the page head records whether a worker
// already controlled the page at load, which only an update has.
func updateAvailable(ctx app.Context) bool {
	return ctx.AppUpdateAvailable() && app.Window().Get("studioControlled").Truthy()
}

// Render draws the banner when an update waits.
func (u *UpdateBanner) Render() app.UI {
	if !u.available || u.dismissed {
		return app.Div().Class("banner-slot")
	}
	return app.Div().Class("banner-slot").Body(
		app.Div().Class("banner banner-update").Attr("role", "status").DataSet("testid", "update-banner").Body(
			app.Span().Text("Update available — a new version of "+appName+" is ready."),
			app.Button().Type("button").Class("btn btn-primary btn-sm").OnClick(u.reload).Text("Reload"),
			app.Button().Type("button").Class("btn btn-ghost btn-sm").Aria("label", "Dismiss").OnClick(u.dismiss).Text("Later"),
		),
	)
}

func (u *UpdateBanner) reload(ctx app.Context, e app.Event)  { ctx.Reload() }
func (u *UpdateBanner) dismiss(ctx app.Context, e app.Event) { u.dismissed = true }

// probeInterval is how often an offline client checks the server.
const probeInterval = 4 * time.Second

// ConnectivityBanner shows that the app is offline: the browser says so
// (online/offline events) or requests stopped getting responses. While
// offline it probes /api/healthz; when the server answers again the
// client refetches what the page shows.
type ConnectivityBanner struct {
	app.Compo
	// Client is the data plane whose requests reveal connectivity.
	Client *query.Client

	online  bool
	probing bool
	cancel  func()
	onFn    app.Func
	offFn   app.Func
}

// OnInit starts online, so the prerendered page shows no banner.
func (b *ConnectivityBanner) OnInit() { b.online = true }

// OnMount listens to the browser and to the data plane.
func (b *ConnectivityBanner) OnMount(ctx app.Context) {
	c := b.Client
	if nav := app.Window().Get("navigator"); nav.Truthy() && !nav.Get("onLine").Bool() {
		c.SetOnline(false)
	}
	b.online = c.Online()
	b.cancel = c.OnConnectivity(func(online bool) {
		ctx.Dispatch(func(ctx app.Context) {
			b.online = online
			if !online {
				b.probe(ctx)
			}
		})
	})
	b.onFn = app.FuncOf(func(app.Value, []app.Value) any {
		c.SetOnline(true)
		return nil
	})
	b.offFn = app.FuncOf(func(app.Value, []app.Value) any {
		c.SetOnline(false)
		return nil
	})
	app.Window().Call("addEventListener", "online", b.onFn)
	app.Window().Call("addEventListener", "offline", b.offFn)
	if !b.online {
		b.probe(ctx)
	}
}

// OnDismount removes the listeners.
func (b *ConnectivityBanner) OnDismount() {
	if b.cancel != nil {
		b.cancel()
	}
	if b.onFn != nil {
		app.Window().Call("removeEventListener", "online", b.onFn)
		app.Window().Call("removeEventListener", "offline", b.offFn)
		b.onFn.Release()
		b.offFn.Release()
		b.onFn, b.offFn = nil, nil
	}
}

// probe checks the server every probeInterval until it answers.
func (b *ConnectivityBanner) probe(ctx app.Context) {
	if b.probing {
		return
	}
	b.probing = true
	c := b.Client
	ctx.After(probeInterval, func(ctx app.Context) {
		b.probing = false
		if b.online {
			return
		}
		ctx.Async(func() {
			if _, err := c.Do(ctx, query.Request{URL: apiHealth}); err != nil {
				ctx.Dispatch(func(ctx app.Context) { b.probe(ctx) })
			}
		})
	})
}

// Render draws the banner while offline.
func (b *ConnectivityBanner) Render() app.UI {
	if b.online {
		return app.Div().Class("banner-slot")
	}
	return app.Div().Class("banner-slot").Body(
		app.Div().Class("banner banner-offline").Attr("role", "status").DataSet("testid", "offline").Body(
			app.Span().Class("banner-dot").Aria("hidden", true),
			app.Span().Text("You're offline — the server can't be reached. Showing what was loaded; retrying automatically."),
			app.Button().Type("button").Class("btn btn-sm").OnClick(b.retry).Text("Retry now"),
		),
	)
}

func (b *ConnectivityBanner) retry(ctx app.Context, e app.Event) {
	c := b.Client
	ctx.Async(func() {
		if _, err := c.Do(ctx, query.Request{URL: apiHealth}); err == nil {
			c.RefetchActive()
		}
	})
}
