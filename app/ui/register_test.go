package ui

import "testing"

func TestPageOf(t *testing.T) {
	tests := []struct {
		path string
		want pageKind
	}{
		{"/", pageDashboard},
		{"/experiments", pageExperiments},
		{"/experiments/exp-01", pageExperiment},
		{"/runs", pageRuns},
		{"/runs/new", pageRunNew},
		{"/runs/run-0042", pageRun},
		{"/registry", pageRegistry},
		{"/registry/mdl-code-assist", pageModel},
		{"/registry/models/mdl-code-assist", pageModel},
		{"/deployments", pageDeployments},
		{"/deployments/dep-chat-general-prod", pageDeployment},
		{"/traces", pageTraces},
		{"/traces/tr-7200a746", pageTrace},
		{"/nope", pageNotFound},
		{"/experiments/", pageNotFound},
		{"/runs/run-1/extra", pageNotFound},
		{"/registry/models", pageModel}, // a model named "models"
		{"", pageNotFound},
	}
	for _, tt := range tests {
		if got := pageOf(tt.path); got != tt.want {
			t.Errorf("pageOf(%q) = %d; want %d", tt.path, got, tt.want)
		}
		if got, want := KnownPage(tt.path), tt.want != pageNotFound; got != want {
			t.Errorf("KnownPage(%q) = %v; want %v", tt.path, got, want)
		}
	}
}

func TestPathID(t *testing.T) {
	for path, want := range map[string]string{
		"/runs/run-0042":            "run-0042",
		"/registry/models/mdl-x":    "mdl-x",
		"/experiments/exp%2001":     "exp 01",
		"/experiments/bad%zzescape": "bad%zzescape",
	} {
		if got := pathID(path); got != want {
			t.Errorf("pathID(%q) = %q; want %q", path, got, want)
		}
	}
}

func TestSectionOfEveryPage(t *testing.T) {
	for p := pageNotFound; p <= pageTrace; p++ {
		s := sectionOf(p)
		if p == pageNotFound {
			if s != sectionNone {
				t.Errorf("not-found page is in section %q", s)
			}
			continue
		}
		found := false
		for _, it := range navItems {
			found = found || it.section == s
		}
		if !found {
			t.Errorf("page %d is in section %q, which the navigation lacks", p, s)
		}
	}
}
