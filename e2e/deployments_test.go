//go:build !wasm

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aiinfra/studio/shared/studio"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestDeploymentAdvanceAndRollback advances a progressing canary one step
// and then rolls it back, through the buttons of the deployment page, and
// checks that the API and the page agree after each action.
func TestDeploymentAdvanceAndRollback(t *testing.T) {
	s := newServer(t) // actions change the deployment: keep them off the shared server
	var dep studio.Deployment
	for _, d := range listItems[studio.Deployment](t, s.URL, "/api/deployments") {
		if d.Status == studio.DeployProgressing && d.StepIndex >= 0 && d.StepIndex < len(d.Steps)-1 {
			dep = d
			break
		}
	}
	if dep.ID == "" {
		t.Fatal("no progressing deployment with a canary step left to advance")
	}
	get := func() studio.Deployment {
		return apiGet[studio.Deployment](t, s.URL, "/api/deployments/"+string(dep.ID))
	}

	p := newBrowser(t, s.URL)
	p.acceptDialogs()
	p.open("/deployments/"+string(dep.ID), "deployment")
	p.waitFor("the deployment's name", fmt.Sprintf("document.body.innerText.includes(%s)", jsString(dep.Name)))

	t.Run("advance", func(t *testing.T) {
		p := p.sub(t)
		p.action("advance")
		want := dep.Steps[dep.StepIndex+1]
		eventually(t, 10*time.Second, func() error {
			if d := get(); d.StepIndex != dep.StepIndex+1 || d.CanaryPercent != want {
				return fmt.Errorf("after advance the API has step %d (%d%%); want step %d (%d%%)", d.StepIndex, d.CanaryPercent, dep.StepIndex+1, want)
			}
			return nil
		})
		p.waitFor(fmt.Sprintf("the page to show %d%%", want), fmt.Sprintf(
			`document.querySelector("[data-page=deployment]").innerText.includes(%s)`, jsString(fmt.Sprintf("%d%%", want))))
	})

	t.Run("rollback", func(t *testing.T) {
		p := p.sub(t)
		p.action("rollback")
		eventually(t, 10*time.Second, func() error {
			if d := get(); d.Status != studio.DeployRolledBack || d.CanaryPercent != 0 {
				return fmt.Errorf("after rollback the API has status %s, canary %d%%; want %s, 0%%", d.Status, d.CanaryPercent, studio.DeployRolledBack)
			}
			return nil
		})
		p.waitFor("the page to show the rollback", `(() => {
			const t = document.querySelector("[data-page=deployment]").innerText.toLowerCase();
			return t.includes("rolled back") || t.includes("rolled_back") || t.includes("rolled-back");
		})()`)
	})
}

// acceptDialogs accepts every native confirm() or alert() the page opens.
func (p *page) acceptDialogs() {
	dialogs := chromedp.Events(p.ctx, cdppage.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			chromedp.Call(p.ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
}

// action clicks button[data-action=name] and, when the app asks for
// confirmation in a dialog of its own, confirms.
func (p *page) action(name string) {
	p.t.Helper()
	sel := fmt.Sprintf("button[data-action=%q]", name)
	p.do("wait for "+sel, chromedp.WaitEnabled(chromedp.CSS(sel)))
	p.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
	// A confirmation dialog, if any, shows up within a moment.
	confirm := fmt.Sprintf(`(() => {
		const d = Array.from(document.querySelectorAll("dialog[open], [role=dialog], [role=alertdialog]"))
			.find(d => d.getClientRects().length > 0 && getComputedStyle(d).visibility !== "hidden");
		if (!d) return "";
		const buttons = Array.from(d.querySelectorAll("button"));
		const b = d.querySelector("[data-action=confirm], [data-testid=confirm], button[type=submit]") ||
			buttons.find(b => /confirm|yes|%s/i.test(b.innerText));
		if (!b) return "dialog without a confirm button: " + buttons.map(b => b.innerText).join(", ");
		b.click();
		return "confirmed";
	})()`, strings.ReplaceAll(name, "-", "[ -]?"))
	for deadline := time.Now().Add(1500 * time.Millisecond); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		switch r := eval[string](p, confirm); {
		case r == "confirmed":
			return
		case r != "":
			p.t.Fatalf("%s: %s", sel, r)
		}
	}
}
