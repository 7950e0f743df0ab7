package api

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/aiinfra/studio/shared/studio"
)

// mustValues parses a raw query string for a test table.
func mustValues(t testing.TB, raw string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatalf("ParseQuery(%q): %v", raw, err)
	}
	return v
}

// checkErr fails unless err is nil when wantErr is "" or a CodeInvalid
// *studio.Error whose message contains wantErr.
func checkErr(t *testing.T, err error, wantErr string) {
	t.Helper()
	if wantErr == "" {
		if err != nil {
			t.Fatalf("err = %v; want nil", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("err = nil; want %q", wantErr)
	}
	if code := studio.ErrorCode(err); code != studio.CodeInvalid {
		t.Fatalf("ErrorCode(%v) = %q; want invalid", err, code)
	}
	if msg := studio.ErrorMessage(err); !strings.Contains(msg, wantErr) {
		t.Fatalf("message = %q; want it to contain %q", msg, wantErr)
	}
}

var listQueryTests = []struct {
	name    string
	raw     string
	want    ListQuery
	wantErr string
}{
	{"defaults", "", ListQuery{Limit: DefaultListLimit}, ""},
	{"every field", "q=llama&sort=name&order=desc&limit=10&offset=20", ListQuery{Q: "llama", Sort: "name", Order: Desc, Limit: 10, Offset: 20}, ""},
	{"max limit", "limit=10000", ListQuery{Limit: MaxListLimit}, ""},
	{"limit zero", "limit=0", ListQuery{}, "limit must be between 1 and 10000"},
	{"limit too big", "limit=10001", ListQuery{}, "limit must be between 1 and 10000"},
	{"limit negative", "limit=-1", ListQuery{}, "limit must be between 1 and 10000"},
	{"limit overflow", "limit=99999999999999999999999", ListQuery{}, "limit must be between 1 and 10000"},
	{"limit not a number", "limit=ten", ListQuery{}, `got "ten"`},
	{"limit repeated", "limit=1&limit=2", ListQuery{}, "limit given 2 times"},
	{"offset negative", "offset=-5", ListQuery{}, "offset must be between 0 and 2147483647"},
	{"offset overflow", "offset=2147483648", ListQuery{}, "offset must be between 0"},
	{"unknown sort", "sort=password", ListQuery{}, `unknown sort "password": want one of name, created_at`},
	{"unknown order", "order=up", ListQuery{}, `unknown order "up": want asc or desc`},
	{"q too long", "q=" + strings.Repeat("x", 257), ListQuery{}, "q must be at most 256 characters"},
	{"q of 256 runes", "q=" + strings.Repeat("é", 256), ListQuery{Q: strings.Repeat("é", 256), Limit: DefaultListLimit}, ""},
	{"q with a newline", "q=a%0Ab", ListQuery{}, "q must not contain control characters"},
	{"q with a nul", "q=a%00b", ListQuery{}, "control characters"},
	{"q invalid utf-8", "q=%ff%fe", ListQuery{}, "q must be valid utf-8"},
	{"q with markup is kept as text", "q=%3Cscript%3E", ListQuery{Q: "<script>", Limit: DefaultListLimit}, ""},
}

func TestParseListQuery(t *testing.T) {
	sorts := []string{"name", "created_at"}
	for _, tt := range listQueryTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseListQuery(mustValues(t, tt.raw), sorts)
			checkErr(t, err, tt.wantErr)
			if tt.wantErr == "" && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseListQuery(%q) = %+v; want %+v", tt.raw, got, tt.want)
			}
		})
	}
}

func TestParseListQueryWithoutSorts(t *testing.T) {
	_, err := ParseListQuery(url.Values{"sort": {"name"}}, nil)
	checkErr(t, err, "this list cannot be sorted")
}

var runQueryTests = []struct {
	name    string
	raw     string
	want    RunQuery
	wantErr string
}{
	{"defaults", "", RunQuery{ListQuery: ListQuery{Limit: DefaultListLimit}}, ""},
	{"statuses as a list", "status=running,queued", RunQuery{ListQuery: ListQuery{Limit: DefaultListLimit}, Status: []studio.RunStatus{studio.RunRunning, studio.RunQueued}}, ""},
	{"statuses repeated", "status=failed&status=+succeeded+", RunQuery{ListQuery: ListQuery{Limit: DefaultListLimit}, Status: []studio.RunStatus{studio.RunFailed, studio.RunSucceeded}}, ""},
	{"empty entries skipped", "status=,running,", RunQuery{ListQuery: ListQuery{Limit: DefaultListLimit}, Status: []studio.RunStatus{studio.RunRunning}}, ""},
	{"experiment and metric sort", "experiment=exp-03&sort=val_loss&order=asc", RunQuery{ListQuery: ListQuery{Sort: "val_loss", Order: Asc, Limit: DefaultListLimit}, Experiment: "exp-03"}, ""},
	{"unknown status", "status=x", RunQuery{}, `unknown status "x": want one of queued, running, succeeded, failed, cancelled`},
	{"bad experiment id", "experiment=../x", RunQuery{}, `invalid experiment id "../x"`},
	{"too many statuses", "status=" + strings.Repeat("running,", 33), RunQuery{}, "status accepts at most 32 values"},
	{"unknown sort", "sort=secret", RunQuery{}, `unknown sort "secret"`},
}

func TestParseRunQuery(t *testing.T) {
	for _, tt := range runQueryTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRunQuery(mustValues(t, tt.raw))
			checkErr(t, err, tt.wantErr)
			if tt.wantErr == "" && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseRunQuery(%q) = %+v; want %+v", tt.raw, got, tt.want)
			}
		})
	}
}

var logQueryTests = []struct {
	name    string
	raw     string
	want    LogQuery
	wantErr string
}{
	{"defaults", "", LogQuery{FromSeq: -1, Limit: DefaultLogLimit}, ""},
	{"cursor backward", "cursor=c2s&dir=backward&limit=500", LogQuery{Cursor: "c2s", FromSeq: -1, Backward: true, Limit: 500}, ""},
	{"from seq", "from_seq=999999", LogQuery{FromSeq: 999999, Limit: DefaultLogLimit}, ""},
	{"from seq zero", "from_seq=0", LogQuery{FromSeq: 0, Limit: DefaultLogLimit}, ""},
	{"from time", "from_time=2026-11-20T12:00:00Z", LogQuery{FromSeq: -1, FromTime: "2026-11-20T12:00:00Z", Limit: DefaultLogLimit}, ""},
	{"tail", "tail=100", LogQuery{FromSeq: -1, Tail: 100, Limit: DefaultLogLimit}, ""},
	{"filters", "level=warn,error&q=nan+loss", LogQuery{FromSeq: -1, Limit: DefaultLogLimit, Level: []studio.LogLevel{studio.LevelWarn, studio.LevelError}, Q: "nan loss"}, ""},
	{"duplicate levels dropped", "level=warn&level=warn", LogQuery{FromSeq: -1, Limit: DefaultLogLimit, Level: []studio.LogLevel{studio.LevelWarn}}, ""},
	{"forward dir", "dir=forward", LogQuery{FromSeq: -1, Limit: DefaultLogLimit}, ""},
	{"limit too big", "limit=2001", LogQuery{}, "limit must be between 1 and 2000"},
	{"limit zero", "limit=0", LogQuery{}, "limit must be between 1 and 2000"},
	{"negative from seq", "from_seq=-1", LogQuery{}, "from_seq must be an integer between 0 and 9223372036854775807"},
	{"overflowing from seq", "from_seq=9223372036854775808", LogQuery{}, "from_seq must be an integer"},
	{"empty from seq", "from_seq=", LogQuery{}, "from_seq must be an integer"},
	{"cursor and tail", "cursor=c1&tail=5", LogQuery{}, "use only one of cursor, from_seq, from_time and tail (got cursor and tail)"},
	{"from seq and from time", "from_seq=1&from_time=2026-11-20T12:00:00Z", LogQuery{}, "got from_seq and from_time"},
	{"tail backward", "tail=5&dir=backward", LogQuery{}, "dir=backward cannot be combined with tail"},
	{"tail too big", "tail=2001", LogQuery{}, "tail must be between 1 and 2000"},
	{"tail zero", "tail=0", LogQuery{}, "tail must be between 1 and 2000"},
	{"unknown dir", "dir=sideways", LogQuery{}, `unknown dir "sideways"`},
	{"unknown level", "level=fatal", LogQuery{}, `unknown level "fatal": want one of debug, info, warn, error`},
	{"bad time", "from_time=yesterday", LogQuery{}, "from_time must be an RFC 3339 time"},
	{"empty cursor", "cursor=", LogQuery{}, "invalid cursor"},
	{"cursor with a slash", "cursor=c1/2", LogQuery{}, `invalid cursor "c1/2"`},
	{"cursor too long", "cursor=" + strings.Repeat("c", 65), LogQuery{}, "1 to 64 characters"},
	{"q with tab", "q=a%09b", LogQuery{}, "q must not contain control characters"},
	{"q too long", "q=" + strings.Repeat("ab", 200), LogQuery{}, "q must be at most 256 characters"},
}

func TestParseLogQuery(t *testing.T) {
	for _, tt := range logQueryTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLogQuery(mustValues(t, tt.raw))
			checkErr(t, err, tt.wantErr)
			if tt.wantErr == "" && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseLogQuery(%q) = %+v; want %+v", tt.raw, got, tt.want)
			}
		})
	}
}

var logSearchQueryTests = []struct {
	name    string
	raw     string
	want    LogSearchQuery
	wantErr string
}{
	{"defaults", "q=oom", LogSearchQuery{Q: "oom", Limit: DefaultSearch}, ""},
	{"every field", "q=nan&level=error&from_seq=10&limit=10000", LogSearchQuery{Q: "nan", Level: []studio.LogLevel{studio.LevelError}, FromSeq: 10, Limit: MaxSearchSeqs}, ""},
	{"missing q", "", LogSearchQuery{}, "q is required unless level is given"},
	{"blank q", "q=+++", LogSearchQuery{}, "q is required unless level is given"},
	{"level without q counts that level", "level=error", LogSearchQuery{Level: []studio.LogLevel{studio.LevelError}, Limit: DefaultSearch}, ""},
	{"levels without q", "level=warn,error&limit=1", LogSearchQuery{Level: []studio.LogLevel{studio.LevelWarn, studio.LevelError}, Limit: 1}, ""},
	{"blank q with a level is level only", "q=++&level=warn", LogSearchQuery{Level: []studio.LogLevel{studio.LevelWarn}, Limit: DefaultSearch}, ""},
	{"empty level list is no level", "level=,", LogSearchQuery{}, "q is required unless level is given"},
	{"bad level without q", "level=loud", LogSearchQuery{}, `unknown level "loud"`},
	{"limit too big", "q=x&limit=10001", LogSearchQuery{}, "limit must be between 1 and 10000"},
	{"negative from seq", "q=x&from_seq=-3", LogSearchQuery{}, "from_seq must be an integer between 0"},
	{"q with escape", "q=%1b[31m", LogSearchQuery{}, "control characters"},
}

func TestParseLogSearchQuery(t *testing.T) {
	for _, tt := range logSearchQueryTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLogSearchQuery(mustValues(t, tt.raw))
			checkErr(t, err, tt.wantErr)
			if tt.wantErr == "" && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseLogSearchQuery(%q) = %+v; want %+v", tt.raw, got, tt.want)
			}
		})
	}
}

var metricQueryTests = []struct {
	name    string
	raw     string
	want    MetricQuery
	wantErr string
}{
	{"defaults", "", MetricQuery{To: -1}, ""},
	{"names and range", "name=loss,val_loss&name=loss&from=10&to=20&max_points=1000", MetricQuery{Names: []string{"loss", "val_loss"}, From: 10, To: 20, MaxPoints: 1000}, ""},
	{"single step", "from=5&to=5", MetricQuery{From: 5, To: 5}, ""},
	{"explicit no decimation", "max_points=0", MetricQuery{To: -1}, ""},
	{"unknown name", "name=loss,secret", MetricQuery{}, `unknown metric "secret": want one of loss, val_loss, accuracy`},
	{"from after to", "from=20&to=10", MetricQuery{}, "from (20) must not be greater than to (10)"},
	{"negative from", "from=-1", MetricQuery{}, "from must be between 0 and 2147483647"},
	{"negative to", "to=-1", MetricQuery{}, "to must be between 0 and 2147483647"},
	{"max points one", "max_points=1", MetricQuery{}, "max_points must be 0 (no decimation) or between 2 and 20000"},
	{"max points too big", "max_points=20001", MetricQuery{}, "max_points must be 0 (no decimation) or between 2 and 20000"},
	{"max points repeated", "max_points=2&max_points=3", MetricQuery{}, "max_points given 2 times"},
}

func TestParseMetricQuery(t *testing.T) {
	for _, tt := range metricQueryTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMetricQuery(mustValues(t, tt.raw))
			checkErr(t, err, tt.wantErr)
			if tt.wantErr == "" && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseMetricQuery(%q) = %+v; want %+v", tt.raw, got, tt.want)
			}
		})
	}
}

var eventQueryTests = []struct {
	name    string
	raw     string
	want    EventQuery
	wantErr string
}{
	{"defaults", "", EventQuery{}, ""},
	{"lanes and range", "lane=alert,deploy&lane=alert&from=2026-11-20T10:00:00Z&to=2026-11-20T12:00:00.5Z", EventQuery{Lanes: []studio.Lane{studio.LaneAlert, studio.LaneDeploy}, From: "2026-11-20T10:00:00Z", To: "2026-11-20T12:00:00.5Z"}, ""},
	{"equal bounds", "from=2026-11-20T10:00:00Z&to=2026-11-20T11:00:00%2B01:00", EventQuery{From: "2026-11-20T10:00:00Z", To: "2026-11-20T11:00:00+01:00"}, ""},
	{"unknown lane", "lane=gossip", EventQuery{}, `unknown lane "gossip": want one of deploy, checkpoint, alert, log_spike, commit`},
	{"bad from", "from=2026-13-01T00:00:00Z", EventQuery{}, "from must be an RFC 3339 time"},
	{"from after to", "from=2026-11-21T00:00:00Z&to=2026-11-20T00:00:00Z", EventQuery{}, "must not be after to"},
	{"long time", "to=" + strings.Repeat("9", 100), EventQuery{}, "to must be an RFC 3339 time"},
}

func TestParseEventQuery(t *testing.T) {
	for _, tt := range eventQueryTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseEventQuery(mustValues(t, tt.raw))
			checkErr(t, err, tt.wantErr)
			if tt.wantErr == "" && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseEventQuery(%q) = %+v; want %+v", tt.raw, got, tt.want)
			}
		})
	}
}

func TestParseSince(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		want    int64
		wantErr string
	}{
		{"absent", "", -1, ""},
		{"zero", "since=0", 0, ""},
		{"large", "since=123456789", 123456789, ""},
		{"negative", "since=-1", 0, "since must be an integer between 0"},
		{"not a number", "since=abc", 0, `got "abc"`},
		{"repeated", "since=1&since=2", 0, "since given 2 times"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSince(mustValues(t, tt.raw))
			checkErr(t, err, tt.wantErr)
			if tt.wantErr == "" && got != tt.want {
				t.Errorf("ParseSince(%q) = %d; want %d", tt.raw, got, tt.want)
			}
		})
	}
}

var idTests = []struct {
	name    string
	id      string
	wantErr string
}{
	{"run id", "run-0042", ""},
	{"dotted", "mdl.v1_a~b", ""},
	{"max length", strings.Repeat("a", MaxIDLength), ""},
	{"empty", "", "run id is empty"},
	{"too long", strings.Repeat("a", MaxIDLength+1), "run id must be at most 128 characters"},
	{"dot dot", "..", `invalid run id ".."`},
	{"slash", "a/b", `invalid run id "a/b"`},
	{"space", "a b", "want letters, digits"},
	{"unicode", "rün", "want letters, digits"},
	{"markup", "<script>", "invalid run id"},
}

func TestValidateID(t *testing.T) {
	for _, tt := range idTests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, ValidateID("run", tt.id), tt.wantErr)
		})
	}
}

func TestQuoteShortensLongValues(t *testing.T) {
	got := quote(strings.Repeat("é", 100))
	if want := `"` + strings.Repeat("é", 40) + `"...`; got != want {
		t.Errorf("quote(100 runes) = %s; want %s", got, want)
	}
}
