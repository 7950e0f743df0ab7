package api

import (
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aiinfra/studio/shared/studio"
)

// Bounds on query values that the parsers enforce besides the list and log
// limits.
const (
	MaxQueryLength  = 256           // runes in a q filter
	MaxCursorLength = 64            // bytes in an opaque cursor
	MaxOffset       = math.MaxInt32 // largest list offset or step
	MaxListValues   = 32            // values in a multi-valued parameter such as status
	DefaultSearch   = 1000          // default limit of a log search
)

// Sort fields each list accepts, the list's default first (the store
// applies the default, with its natural order, when sort is absent).
var (
	ExperimentSorts = []string{"id", "name", "created_at", "run_count", "last_activity", "best_val_loss"}
	RunSorts        = append([]string{"created_at", "id", "name", "status", "started_at", "ended_at", "duration", "steps"}, studio.MetricNames...)
	ModelSorts      = []string{"name", "id", "task", "created_at", "updated_at", "version_count", "latest_version"}
	DeploymentSorts = []string{"id", "name", "status", "environment", "updated_at", "error_rate", "latency_p99"}
	TraceSorts      = []string{"start", "id", "duration", "span_count", "error_count", "root", "service"}
)

// ParseListQuery parses ?q=&sort=&order=&limit=&offset=. sort must be one
// of allowedSorts (any sort is rejected when allowedSorts is empty). Absent
// values keep their zero value except Limit, which defaults to
// DefaultListLimit. Errors are *studio.Error with CodeInvalid.
func ParseListQuery(v url.Values, allowedSorts []string) (ListQuery, error) {
	var q ListQuery
	var err error
	if q.Q, err = textParam(v, "q"); err != nil {
		return q, err
	}
	sort, ok, err := single(v, "sort")
	if err != nil {
		return q, err
	}
	if ok {
		if !slices.Contains(allowedSorts, sort) {
			if len(allowedSorts) == 0 {
				return q, invalidf("this list cannot be sorted")
			}
			return q, invalidf("unknown sort %s: want one of %s", quote(sort), strings.Join(allowedSorts, ", "))
		}
		q.Sort = sort
	}
	order, ok, err := single(v, "order")
	if err != nil {
		return q, err
	}
	if ok {
		switch Order(order) {
		case Asc, Desc:
			q.Order = Order(order)
		default:
			return q, invalidf("unknown order %s: want asc or desc", quote(order))
		}
	}
	if q.Limit, err = intParam(v, "limit", DefaultListLimit, 1, MaxListLimit); err != nil {
		return q, err
	}
	if q.Offset, err = intParam(v, "offset", 0, 0, MaxOffset); err != nil {
		return q, err
	}
	return q, nil
}

// ParseRunQuery parses a run list query: the ListQuery parameters (sort in
// RunSorts), ?status= (repeated or comma-separated) and ?experiment=.
func ParseRunQuery(v url.Values) (RunQuery, error) {
	var q RunQuery
	var err error
	if q.ListQuery, err = ParseListQuery(v, RunSorts); err != nil {
		return q, err
	}
	exp, ok, err := single(v, "experiment")
	if err != nil {
		return q, err
	}
	if ok {
		if err := ValidateID("experiment", exp); err != nil {
			return q, err
		}
		q.Experiment = studio.ExperimentID(exp)
	}
	statuses, err := listParam(v, "status")
	if err != nil {
		return q, err
	}
	for _, s := range statuses {
		if !studio.RunStatus(s).Valid() {
			return q, invalidf("unknown status %s: want one of %s", quote(s), joinValues(studio.RunStatuses))
		}
		q.Status = append(q.Status, studio.RunStatus(s))
	}
	return q, nil
}

// ParseLogQuery parses ?cursor=&from_seq=&from_time=&tail=&dir=&limit=&level=&q=.
// At most one of cursor, from_seq, from_time and tail may be given; tail
// cannot be combined with dir=backward. FromSeq is -1 when absent and Limit
// defaults to DefaultLogLimit.
func ParseLogQuery(v url.Values) (LogQuery, error) {
	q := LogQuery{FromSeq: -1}
	var given []string
	cursor, ok, err := single(v, "cursor")
	if err != nil {
		return q, err
	}
	if ok {
		if err := validateCursor(cursor); err != nil {
			return q, err
		}
		q.Cursor = cursor
		given = append(given, "cursor")
	}
	if _, ok := v["from_seq"]; ok {
		if q.FromSeq, err = int64Param(v, "from_seq", 0); err != nil {
			return q, err
		}
		given = append(given, "from_seq")
	}
	from, ok, err := single(v, "from_time")
	if err != nil {
		return q, err
	}
	if ok {
		if err := validateTime("from_time", from); err != nil {
			return q, err
		}
		q.FromTime = from
		given = append(given, "from_time")
	}
	if _, ok := v["tail"]; ok {
		if q.Tail, err = intParam(v, "tail", 0, 1, MaxLogLimit); err != nil {
			return q, err
		}
		given = append(given, "tail")
	}
	if len(given) > 1 {
		return q, invalidf("use only one of cursor, from_seq, from_time and tail (got %s)", strings.Join(given, " and "))
	}
	dir, ok, err := single(v, "dir")
	if err != nil {
		return q, err
	}
	if ok {
		switch dir {
		case "forward":
		case "backward":
			if q.Tail > 0 {
				return q, invalidf("dir=backward cannot be combined with tail")
			}
			q.Backward = true
		default:
			return q, invalidf("unknown dir %s: want forward or backward", quote(dir))
		}
	}
	if q.Limit, err = intParam(v, "limit", DefaultLogLimit, 1, MaxLogLimit); err != nil {
		return q, err
	}
	if q.Level, err = levelsParam(v); err != nil {
		return q, err
	}
	if q.Q, err = textParam(v, "q"); err != nil {
		return q, err
	}
	return q, nil
}

// ParseLogSearchQuery parses ?q=&level=&from_seq=&limit= for a log search.
// q or at least one level is required: without q (or with a blank one, which
// becomes "") the search counts and lists the lines of those levels. FromSeq
// defaults to 0 and Limit to DefaultSearch (at most MaxSearchSeqs).
func ParseLogSearchQuery(v url.Values) (LogSearchQuery, error) {
	var q LogSearchQuery
	var err error
	if q.Q, err = textParam(v, "q"); err != nil {
		return q, err
	}
	if q.Level, err = levelsParam(v); err != nil {
		return q, err
	}
	if strings.TrimSpace(q.Q) == "" {
		if len(q.Level) == 0 {
			return q, invalidf("q is required unless level is given: the text to search for, or the levels whose lines to count")
		}
		q.Q = ""
	}
	if q.FromSeq, err = int64Param(v, "from_seq", 0); err != nil {
		return q, err
	}
	if q.Limit, err = intParam(v, "limit", DefaultSearch, 1, MaxSearchSeqs); err != nil {
		return q, err
	}
	return q, nil
}

// ParseMetricQuery parses ?name=&from=&to=&max_points=. name may repeat or
// hold a comma-separated list of studio.MetricNames; duplicates are dropped.
// To is -1 when absent; MaxPoints 0 (the default) means no decimation.
func ParseMetricQuery(v url.Values) (MetricQuery, error) {
	q := MetricQuery{To: -1}
	names, err := listParam(v, "name")
	if err != nil {
		return q, err
	}
	for _, n := range names {
		if !slices.Contains(studio.MetricNames, n) {
			return q, invalidf("unknown metric %s: want one of %s", quote(n), strings.Join(studio.MetricNames, ", "))
		}
		if !slices.Contains(q.Names, n) {
			q.Names = append(q.Names, n)
		}
	}
	if q.From, err = intParam(v, "from", 0, 0, MaxOffset); err != nil {
		return q, err
	}
	if q.To, err = intParam(v, "to", -1, 0, MaxOffset); err != nil {
		return q, err
	}
	if q.To >= 0 && q.From > q.To {
		return q, invalidf("from (%d) must not be greater than to (%d)", q.From, q.To)
	}
	mp, ok, err := single(v, "max_points")
	if err != nil {
		return q, err
	}
	if ok {
		n, err := strconv.Atoi(mp)
		if err != nil || n < 0 || n == 1 || n > MaxMetricPoints {
			return q, invalidf("max_points must be 0 (no decimation) or between 2 and %d, got %s", MaxMetricPoints, quote(mp))
		}
		q.MaxPoints = n
	}
	return q, nil
}

// ParseEventQuery parses ?lane=&from=&to=: lanes (repeated or
// comma-separated) among studio.Lanes and an RFC 3339 time range with from
// not after to.
func ParseEventQuery(v url.Values) (EventQuery, error) {
	var q EventQuery
	lanes, err := listParam(v, "lane")
	if err != nil {
		return q, err
	}
	for _, l := range lanes {
		if !studio.Lane(l).Valid() {
			return q, invalidf("unknown lane %s: want one of %s", quote(l), joinValues(studio.Lanes))
		}
		if !slices.Contains(q.Lanes, studio.Lane(l)) {
			q.Lanes = append(q.Lanes, studio.Lane(l))
		}
	}
	var from, to time.Time
	for _, p := range []struct {
		name string
		dst  *string
		t    *time.Time
	}{{"from", &q.From, &from}, {"to", &q.To, &to}} {
		s, ok, err := single(v, p.name)
		if err != nil {
			return q, err
		}
		if !ok {
			continue
		}
		if err := validateTime(p.name, s); err != nil {
			return q, err
		}
		*p.t, _ = time.Parse(time.RFC3339Nano, s)
		*p.dst = s
	}
	if q.From != "" && q.To != "" && from.After(to) {
		return q, invalidf("from (%s) must not be after to (%s)", q.From, q.To)
	}
	return q, nil
}

// ParseSince parses the ?since= of a stream subscription: the last seq the
// client has seen, at least 0. It returns -1 when since is absent.
func ParseSince(v url.Values) (int64, error) {
	if _, ok := v["since"]; !ok {
		return -1, nil
	}
	return int64Param(v, "since", 0)
}

// single returns the only value of name; ok is false when name is absent.
// A repeated parameter is an error, so "limit=1&limit=5000" cannot slip a
// second value past validation.
func single(v url.Values, name string) (s string, ok bool, err error) {
	vals, ok := v[name]
	if !ok {
		return "", false, nil
	}
	if len(vals) > 1 {
		return "", false, invalidf("%s given %d times: want at most one", name, len(vals))
	}
	return vals[0], true, nil
}

// intParam parses name as an int in [lo, hi], returning def when absent.
func intParam(v url.Values, name string, def, lo, hi int) (int, error) {
	s, ok, err := single(v, name)
	if err != nil || !ok {
		return def, err
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < int64(lo) || n > int64(hi) {
		return def, invalidf("%s must be between %d and %d, got %s", name, lo, hi, quote(s))
	}
	return int(n), nil
}

// int64Param parses name as an int64 >= lo, returning lo when absent.
func int64Param(v url.Values, name string, lo int64) (int64, error) {
	s, ok, err := single(v, name)
	if err != nil || !ok {
		return lo, err
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < lo {
		return lo, invalidf("%s must be an integer between %d and %d, got %s", name, lo, int64(math.MaxInt64), quote(s))
	}
	return n, nil
}

// textParam returns the free-text parameter name ("" when absent) after
// checking its length, encoding and characters.
func textParam(v url.Values, name string) (string, error) {
	s, ok, err := single(v, name)
	if err != nil || !ok {
		return "", err
	}
	if len(s) > MaxQueryLength*utf8.UTFMax || utf8.RuneCountInString(s) > MaxQueryLength {
		return "", invalidf("%s must be at most %d characters", name, MaxQueryLength)
	}
	if !utf8.ValidString(s) {
		return "", invalidf("%s must be valid utf-8", name)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", invalidf("%s must not contain control characters", name)
		}
	}
	return s, nil
}

// listParam returns the values of a multi-valued parameter given as
// repeats and/or comma-separated lists, trimmed, without empty entries.
func listParam(v url.Values, name string) ([]string, error) {
	var out []string
	for _, raw := range v[name] {
		for s := range strings.SplitSeq(raw, ",") {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			if len(out) == MaxListValues {
				return nil, invalidf("%s accepts at most %d values", name, MaxListValues)
			}
			out = append(out, s)
		}
	}
	return out, nil
}

func levelsParam(v url.Values) ([]studio.LogLevel, error) {
	levels, err := listParam(v, "level")
	if err != nil {
		return nil, err
	}
	var out []studio.LogLevel
	for _, l := range levels {
		if !studio.LogLevel(l).Valid() {
			return nil, invalidf("unknown level %s: want one of %s", quote(l), joinValues(studio.LogLevels))
		}
		if !slices.Contains(out, studio.LogLevel(l)) {
			out = append(out, studio.LogLevel(l))
		}
	}
	return out, nil
}

// validateCursor checks the shape of an opaque cursor; the store decodes it.
func validateCursor(s string) error {
	if s == "" || len(s) > MaxCursorLength {
		return invalidf("invalid cursor: want the next or prev value of a log page (1 to %d characters)", MaxCursorLength)
	}
	for i := 0; i < len(s); i++ {
		if !isIDByte(s[i]) {
			return invalidf("invalid cursor %s: want the next or prev value of a log page", quote(s))
		}
	}
	return nil
}

func validateTime(name, s string) error {
	if len(s) > 64 {
		return invalidf("%s must be an RFC 3339 time such as 2026-11-20T12:00:00Z", name)
	}
	if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
		return invalidf("%s must be an RFC 3339 time such as 2026-11-20T12:00:00Z, got %s", name, quote(s))
	}
	return nil
}

// ValidateID checks an id taken from a URL path before it is looked up:
// 1 to MaxIDLength bytes of ASCII letters, digits, '-', '_', '.' and '~',
// and not "." or "..". kind names the resource in the error ("run",
// "experiment"). The error is a *studio.Error with CodeInvalid.
func ValidateID(kind, id string) error {
	if id == "" {
		return invalidf("%s id is empty", kind)
	}
	if len(id) > MaxIDLength {
		return invalidf("%s id must be at most %d characters", kind, MaxIDLength)
	}
	if id == "." || id == ".." {
		return invalidf("invalid %s id %s", kind, quote(id))
	}
	for i := 0; i < len(id); i++ {
		if !isIDByte(id[i]) {
			return invalidf("invalid %s id %s: want letters, digits, '-', '_', '.' or '~'", kind, quote(id))
		}
	}
	return nil
}

func isIDByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
}

// quote quotes s for an error message, shortening it to 40 runes so that a
// hostile value cannot bloat the response.
func quote(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		return strconv.Quote(string(r[:max])) + "..."
	}
	return strconv.Quote(s)
}

func joinValues[T ~string](vals []T) string {
	s := make([]string, len(vals))
	for i, v := range vals {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

func invalidf(format string, args ...any) *studio.Error {
	return studio.Errorf(studio.CodeInvalid, format, args...)
}
