package ui

import (
	"strings"
	"testing"

	"github.com/aiinfra/studio/app/table"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func TestShortcutFor(t *testing.T) {
	tests := []struct {
		name               string
		key                string
		pendingG, inField  bool
		helpOpen           bool
		wantNav            string
		wantHelp           int
		wantFocus, handled bool
		wantPending        bool
	}{
		{"g starts a sequence", "g", false, false, false, "", 0, false, true, true},
		{"g d opens the dashboard", "d", true, false, false, "/", 0, false, true, false},
		{"g e opens experiments", "e", true, false, false, "/experiments", 0, false, true, false},
		{"g r opens the registry", "r", true, false, false, "/registry", 0, false, true, false},
		{"g p opens deployments", "p", true, false, false, "/deployments", 0, false, true, false},
		{"g t opens traces", "t", true, false, false, "/traces", 0, false, true, false},
		{"d alone does nothing", "d", false, false, false, "", 0, false, false, false},
		{"g then x cancels", "x", true, false, false, "", 0, false, false, false},
		{"? opens help", "?", false, false, false, "", 1, false, true, false},
		{"? closes open help", "?", false, false, true, "", -1, false, true, false},
		{"Escape closes help", "Escape", false, false, true, "", -1, false, true, false},
		{"Escape without help is left alone", "Escape", false, false, false, "", 0, false, false, false},
		{"/ focuses the filter", "/", false, false, false, "", 0, true, true, false},
		{"n opens the new run form", "n", false, false, false, "/runs/new", 0, false, true, false},
		{"keys typed in a field are left alone", "g", false, true, false, "", 0, false, false, false},
		{"/ typed in a field is text", "/", false, true, false, "", 0, false, false, false},
		{"Escape in a field still closes help", "Escape", false, true, true, "", -1, false, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			act, handled, pending := shortcutFor(tt.key, tt.pendingG, tt.inField, tt.helpOpen)
			if handled != tt.handled || pending != tt.wantPending || act.navigate != tt.wantNav || act.help != tt.wantHelp || act.focus != tt.wantFocus {
				t.Errorf("shortcutFor(%q) = %+v, handled %v, pending %v; want nav %q help %d focus %v, handled %v, pending %v",
					tt.key, act, handled, pending, tt.wantNav, tt.wantHelp, tt.wantFocus, tt.handled, tt.wantPending)
			}
		})
	}
}

// keyUniverse is every key the bindings of the app could use.
var keyUniverse = func() []string {
	keys := []string{"+", "=", "-", "_", "/", "?", " ", ".", ",", "[", "]",
		"Enter", "Escape", "Tab", "Backspace", "Delete", "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown",
		"PageUp", "PageDown", "Home", "End"}
	for c := 'a'; c <= 'z'; c++ {
		keys = append(keys, string(c))
	}
	for c := '0'; c <= '9'; c++ {
		keys = append(keys, string(c))
	}
	return keys
}()

// groupKeys returns the keys the help lists in group title, and fails
// when there is no such group.
func groupKeys(t *testing.T, title string) map[string]bool {
	t.Helper()
	for _, g := range shortcutGroups {
		if g.title == title {
			keys := map[string]bool{}
			for _, sc := range g.items {
				for _, k := range sc.keys {
					keys[k] = true
				}
			}
			return keys
		}
	}
	t.Fatalf("the help has no %q group", title)
	return nil
}

// TestShortcutHelpListsEveryBinding checks each group of the help against
// the code that handles its keys: every key that does something is
// listed, and every key listed does something.
func TestShortcutHelpListsEveryBinding(t *testing.T) {
	t.Run("anywhere", func(t *testing.T) {
		keys := groupKeys(t, "Anywhere")
		for _, k := range keyUniverse {
			if _, handled, _ := shortcutFor(k, false, false, false); handled && k != "g" && !keys[k] {
				t.Errorf("key %q is bound but not listed", k)
			}
		}
		for _, it := range navItems {
			found := false
			for _, sc := range shortcutGroups[0].items {
				found = found || sc.seq && len(sc.keys) == 2 && sc.keys[0] == "g" && sc.keys[1] == it.key
			}
			if !found {
				t.Errorf("g %s (%s) is not listed", it.key, it.label)
			}
		}
		for _, sc := range shortcutGroups[0].items {
			if sc.seq {
				if act, ok, _ := shortcutFor(sc.keys[1], true, false, false); !ok || act.navigate == "" {
					t.Errorf("listed g %s does not navigate", sc.keys[1])
				}
				continue
			}
			for _, k := range sc.keys {
				if _, ok, _ := shortcutFor(k, false, false, true); !ok {
					t.Errorf("listed key %q is not bound", k)
				}
			}
		}
	})
	t.Run("tables", func(t *testing.T) {
		keys := groupKeys(t, "Tables")
		for _, k := range keyUniverse {
			if _, ok := table.Move(k, 3, 10, 4); ok != keys[k] && k != "Enter" && k != " " {
				t.Errorf("key %q: table.Move handles it %v, listed %v", k, ok, keys[k])
			}
		}
		if !keys["Enter"] || !keys[" "] {
			t.Error("Enter (open) or Space (select) is not listed")
		}
	})
	t.Run("run page tabs", func(t *testing.T) {
		keys := groupKeys(t, "Run page tabs")
		for _, k := range keyUniverse {
			if _, ok := tabKey(k, 1, len(runTabs)); ok != keys[k] {
				t.Errorf("key %q: tabKey handles it %v, listed %v", k, ok, keys[k])
			}
		}
	})
	t.Run("timeline", func(t *testing.T) {
		keys := groupKeys(t, "Timeline")
		for _, k := range keyUniverse {
			plain, shifted := timelineKey(k, false, false, false, false), timelineKey(k, true, false, false, false)
			if plain != cmdNone && !keys[k] {
				t.Errorf("timeline key %q is bound but not listed", k)
			}
			if shifted != cmdNone && shifted != plain && !keys["Shift+"+k] {
				t.Errorf("timeline key Shift+%s is bound but not listed", k)
			}
		}
		for k := range keys {
			switch k {
			case "Enter", " ", "Ctrl+wheel", "Shift+wheel": // marker activation and the wheel: the component's
				continue
			}
			key, shift := strings.CutPrefix(k, "Shift+")
			if timelineKey(key, shift, false, false, false) == cmdNone {
				t.Errorf("listed timeline key %q is not bound", k)
			}
		}
	})
	t.Run("trace waterfall", func(t *testing.T) {
		keys := groupKeys(t, "Trace waterfall")
		for _, k := range keyUniverse {
			if _, ok := table.Move(k, 3, 10, 4); ok && !keys[k] {
				t.Errorf("waterfall key %q is bound but not listed", k)
			}
		}
		for _, k := range []string{"ArrowLeft", "ArrowRight", "Escape", "Enter", "Shift+Enter"} {
			if !keys[k] {
				t.Errorf("waterfall key %q is not listed", k)
			}
		}
	})
	t.Run("log viewer", func(t *testing.T) {
		keys := groupKeys(t, "Log viewer")
		for _, k := range []string{"Ctrl+f", "Cmd+f", "Enter", "Shift+Enter", "Escape"} {
			if !keys[k] {
				t.Errorf("log viewer key %q is not listed", k)
			}
		}
		if len(keys) != 5 {
			t.Errorf("log viewer lists %d keys; want the 5 it binds", len(keys))
		}
	})
}

func TestKeyCaps(t *testing.T) {
	tests := []struct {
		key  string
		want string
	}{
		{"j", "j"},
		{"ArrowLeft", "←"},
		{"Shift+ArrowRight", "Shift →"},
		{"Ctrl+f", "Ctrl f"},
		{"Cmd+f", "⌘ f"},
		{"+", "+"},
		{"Shift++", "Shift +"},
		{"-", "−"},
		{" ", "Space"},
		{"Escape", "Esc"},
		{"Ctrl+wheel", "Ctrl wheel"},
	}
	for _, tt := range tests {
		if got := strings.Join(keyCaps(tt.key), " "); got != tt.want {
			t.Errorf("keyCaps(%q) = %q; want %q", tt.key, got, tt.want)
		}
	}
}

// TestShortcutHelpRenders checks the open overlay: every group has its
// section, and sequences and alternatives read as such.
func TestShortcutHelpRenders(t *testing.T) {
	html := app.HTMLString(&Shortcuts{open: true})
	for _, g := range shortcutGroups {
		if !strings.Contains(html, `data-group="`+g.title+`"`) {
			t.Errorf("no section for the %s group", g.title)
		}
	}
	for _, want := range []string{"<kbd>g</kbd>", " then ", "<kbd>j</kbd>", "<kbd>p</kbd>", "<kbd>Shift</kbd>", "<kbd>←</kbd>", " or ", "<kbd>Ctrl</kbd>"} {
		if !strings.Contains(html, want) {
			t.Errorf("the help lacks %s", want)
		}
	}
}
