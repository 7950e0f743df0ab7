package ui

import "testing"

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
