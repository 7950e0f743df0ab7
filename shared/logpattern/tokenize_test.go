package logpattern

import (
	"slices"
	"strings"
	"testing"
)

var tokenTests = []struct {
	name    string
	message string
	want    []string
}{
	{"key=value pairs keep their keys", "step 1200 loss=0.4123 lr=3e-4 grad_norm=1.02",
		[]string{"step", "<*>", "loss", "=", "<*>", "lr", "=", "<*>", "grad_norm", "=", "<*>"}},
	{"URL, size and duration", "saved checkpoint to s3://ckpt/run-0042/step-001200.pt (2.1GB) in 12.5s.",
		[]string{"saved", "checkpoint", "to", "<*>", "(", "<*>", ")", "in", "<*>", "."}},
	{"rank prefix and ip:port", "rank3: all-reduce took 150ms on 10.0.0.7:29500",
		[]string{"<*>", ":", "all-reduce", "took", "<*>", "on", "<*>"}},
	{"host key, timestamp, hash", "connected to host:8080 at 2025-03-10T09:00:01Z, sha256:deadbeef00",
		[]string{"connected", "to", "host", ":", "<*>", "at", "<*>", ",", "<*>"}},
	{"email, path with braces, bracketed field", "user priya.n@example.com opened /api/runs/{id} [trace=tr-00a1f3]",
		[]string{"user", "<*>", "opened", "<*>", "[", "trace", "=", "<*>", "]"}},
	{"key with a colon, fraction, percentile key", "step:1200 epoch 3/10 p99=120ms",
		[]string{"step", ":", "<*>", "epoch", "<*>", "p99", "=", "<*>"}},
	{"ids with digits and long hex", "gpu0 bf16 deadbeefcafe run-0042",
		[]string{"<*>", "<*>", "<*>", "<*>"}},
	{"short hex-looking words stay", "added a decade facade",
		[]string{"added", "a", "decade", "facade"}},
	{"uuid", "request 3f2b6c1e-9a4d-4e1b-8c2f-0a1b2c3d4e5f done",
		[]string{"request", "<*>", "done"}},
	{"relative and home paths", "reading ./data/train.jsonl and ~/cache/x",
		[]string{"reading", "<*>", "and", "<*>"}},
	{"a lone at sign is a word", "eval @ step 100",
		[]string{"eval", "@", "step", "<*>"}},
	{"punctuation", "Evaluating... done!",
		[]string{"Evaluating", ".", ".", ".", "done", "!"}},
	{"quotes", `12:30:01 "quoted value" key='v'`,
		[]string{"<*>", `"`, "quoted", "value", `"`, "key", "=", "'", "v", "'"}},
	{"nested call", "WorkNCCL(SeqNum=812, OpType=ALLREDUCE, Timeout(ms)=1800000)",
		[]string{"WorkNCCL", "(", "SeqNum", "=", "<*>", ",", "OpType", "=", "ALLREDUCE", ",", "Timeout", "(", "ms", ")", "=", "<*>", ")"}},
	{"negative and scientific numbers", "delta -0.5 +3 2.9e-4 1e6",
		[]string{"delta", "<*>", "<*>", "<*>", "<*>"}},
	{"percent", "accuracy=97.5% mfu=41%",
		[]string{"accuracy", "=", "<*>", "mfu", "=", "<*>"}},
	{"whitespace only", " \t\n ", nil},
	{"empty", "", nil},
}

func TestTokens(t *testing.T) {
	for _, tt := range tokenTests {
		t.Run(tt.name, func(t *testing.T) {
			got := Tokens(tt.message)
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Tokens(%q) =\n%q\nwant\n%q", tt.message, got, tt.want)
			}
		})
	}
}

func FuzzTokens(f *testing.F) {
	for _, tt := range tokenTests {
		f.Add(tt.message)
	}
	f.Add("a=b=c::d,,(()) [[]] {x}} ''\"\" |||")
	f.Add("\xff\xfe invalid utf-8 \x00")
	f.Fuzz(func(t *testing.T, message string) {
		toks := Tokens(message) // must never panic
		for i, tok := range toks {
			if tok == "" || strings.ContainsAny(tok, " \t\n\r\v\f") {
				t.Fatalf("Tokens(%q)[%d] = %q: empty or holds whitespace", message, i, tok)
			}
		}
		// Only whitespace boundaries matter, not their kind or length.
		normal := strings.Join(strings.Fields(message), " ")
		if fields := strings.FieldsFunc(message, func(r rune) bool { return r < 0x80 && isSpace(byte(r)) }); strings.Join(fields, " ") == normal {
			if again := Tokens(normal); !slices.Equal(again, toks) {
				t.Fatalf("Tokens(%q) = %q but Tokens(%q) = %q", message, toks, normal, again)
			}
		}
		// Mining a message twice puts both in one template.
		m := NewMiner(Config{})
		if a, b := m.Add(message), m.Add(message); a != b || m.Len() != 1 {
			t.Fatalf("Add(%q) twice gave templates %d and %d (%d templates)", message, a, b, m.Len())
		}
	})
}
