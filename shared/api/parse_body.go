package api

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// DecodeCreateRunRequest decodes the body of POST /api/runs strictly: it
// must be one JSON object whose keys match CreateRunRequest's fields exactly
// (case-sensitive, no unknown or repeated keys, nothing after the object),
// with values of the right types. Errors are *studio.Error with CodeInvalid
// and say where the problem is: `unknown field "config.foo" at offset 41`,
// `field "config.batch_size" must be an integer, got string (offset 57)`.
// The values themselves are validated later (CodeValidation).
func DecodeCreateRunRequest(data []byte) (CreateRunRequest, error) {
	var req CreateRunRequest
	err := DecodeStrict(data, &req)
	return req, err
}

// DecodeStrict decodes data into the struct that v points to with the rules
// of DecodeCreateRunRequest.
func DecodeStrict(data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return invalidf("request body is empty: want a json object")
	}
	t := reflect.TypeOf(v).Elem()
	w := fieldWalker{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	w.dec.UseNumber()
	if err := w.value(t, ""); err != nil {
		return err
	}
	if off := w.dec.InputOffset(); len(bytes.TrimSpace(data[off:])) > 0 {
		return invalidf("unexpected data after the json object at offset %d", skipSpace(data, int(off)))
	}
	if err := json.Unmarshal(data, v); err != nil {
		return decodeError(err, len(data))
	}
	return nil
}

// fieldWalker checks the structure of a JSON document against a Go type:
// objects only where structs are expected, known keys only, no repeats.
// Scalar type mismatches are left to json.Unmarshal, which names the field.
type fieldWalker struct {
	data []byte
	dec  *json.Decoder
}

func (w *fieldWalker) value(t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	start := int(w.dec.InputOffset())
	tok, err := w.dec.Token()
	if err != nil {
		return decodeError(err, len(w.data))
	}
	delim, isDelim := tok.(json.Delim)
	if path == "" && tok == nil {
		return invalidf("request body must be a json object, got null")
	}
	custom := reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) ||
		reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]())
	switch {
	case custom:
		// Types that decode themselves (time.Time...) are checked by Unmarshal.
	case t.Kind() == reflect.Struct:
		if tok == nil {
			return nil // null leaves the field unset
		}
		if !isDelim || delim != '{' {
			return w.mismatch(path, "an object", tok, start)
		}
		return w.object(t, path)
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8:
		if tok == nil {
			return nil
		}
		if !isDelim || delim != '[' {
			return w.mismatch(path, "an array", tok, start)
		}
		for i := 0; w.dec.More(); i++ {
			if err := w.value(t.Elem(), path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		_, err := w.dec.Token() // ']'
		return decodeError(err, len(w.data))
	}
	if err := w.scalar(t, path, tok, start); err != nil {
		return err
	}
	if isDelim {
		return w.skip(delim)
	}
	return nil
}

// scalar checks that tok fits the non-composite type t. null fits anything.
func (w *fieldWalker) scalar(t reflect.Type, path string, tok json.Token, off int) error {
	if tok == nil {
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		if _, ok := tok.(string); !ok {
			return w.mismatch(path, "a string", tok, off)
		}
	case reflect.Bool:
		if _, ok := tok.(bool); !ok {
			return w.mismatch(path, "a boolean", tok, off)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		num, ok := tok.(json.Number)
		if !ok {
			return w.mismatch(path, "an integer", tok, off)
		}
		if strings.ContainsAny(string(num), ".eE") {
			return invalidf("field %s must be an integer, got %s (offset %d)", quote(path), shorten(string(num)), skipSpace(w.data, off))
		}
		if _, err := strconv.ParseInt(string(num), 10, t.Bits()); err != nil {
			return invalidf("field %s is out of range: %s (offset %d)", quote(path), shorten(string(num)), skipSpace(w.data, off))
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		num, ok := tok.(json.Number)
		if !ok {
			return w.mismatch(path, "an integer", tok, off)
		}
		if strings.ContainsAny(string(num), ".eE") {
			return invalidf("field %s must be an integer, got %s (offset %d)", quote(path), shorten(string(num)), skipSpace(w.data, off))
		}
		if _, err := strconv.ParseUint(string(num), 10, t.Bits()); err != nil {
			return invalidf("field %s is out of range: %s (offset %d)", quote(path), shorten(string(num)), skipSpace(w.data, off))
		}
	case reflect.Float32, reflect.Float64:
		num, ok := tok.(json.Number)
		if !ok {
			return w.mismatch(path, "a number", tok, off)
		}
		if _, err := strconv.ParseFloat(string(num), t.Bits()); err != nil {
			return invalidf("field %s is out of range: %s (offset %d)", quote(path), shorten(string(num)), skipSpace(w.data, off))
		}
	}
	return nil
}

func (w *fieldWalker) object(t reflect.Type, path string) error {
	fields := jsonFields(t)
	seen := make(map[string]bool, len(fields))
	for w.dec.More() {
		start := skipSpace(w.data, int(w.dec.InputOffset()))
		tok, err := w.dec.Token()
		if err != nil {
			return decodeError(err, len(w.data))
		}
		key, _ := tok.(string)
		name := key
		if path != "" {
			name = path + "." + key
		}
		ft, ok := fields[key]
		if !ok {
			return invalidf("unknown field %s at offset %d", quote(name), start)
		}
		if seen[key] {
			return invalidf("field %s given twice (offset %d)", quote(name), start)
		}
		seen[key] = true
		if err := w.value(ft, name); err != nil {
			return err
		}
	}
	_, err := w.dec.Token() // '}'
	return decodeError(err, len(w.data))
}

// skip consumes the rest of an object or array whose opening delim was read.
func (w *fieldWalker) skip(open json.Delim) error {
	for depth := 1; depth > 0; {
		tok, err := w.dec.Token()
		if err != nil {
			return decodeError(err, len(w.data))
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}

func (w *fieldWalker) mismatch(path, want string, tok json.Token, off int) error {
	if path == "" {
		return invalidf("request body must be a json object, got %s", tokenKind(tok))
	}
	return invalidf("field %s must be %s, got %s (offset %d)", quote(path), want, tokenKind(tok), skipSpace(w.data, off))
}

func tokenKind(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return "object"
		}
		return "array"
	case string:
		return "string"
	case json.Number, float64:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return "value"
}

// jsonFields maps the JSON names of t's exported fields to their types,
// following embedded structs as encoding/json does.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := make(map[string]reflect.Type)
	for f := range t.Fields() {
		if !f.IsExported() && !f.Anonymous {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// decodeError turns an encoding/json error into a CodeInvalid *studio.Error
// that says where the input went wrong. size is the input length.
func decodeError(err error, size int) error {
	if err == nil {
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return invalidf("truncated json: the body ends at offset %d before the value is complete", size)
	case errors.As(err, &syn):
		msg := strings.TrimPrefix(syn.Error(), "json: ")
		if strings.HasPrefix(msg, "unexpected end of JSON input") {
			return invalidf("truncated json: the body ends at offset %d before the value is complete", size)
		}
		return invalidf("malformed json at offset %d: %s", syn.Offset, msg)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return invalidf("request body must be a json object, got %s", typ.Value)
		}
		return invalidf("field %s %s (offset %d)", quote(typ.Field), typeProblem(typ), typ.Offset)
	}
	return invalidf("malformed json: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// typeProblem describes why a JSON value does not fit a Go type.
func typeProblem(e *json.UnmarshalTypeError) string {
	want := "a value of type " + e.Type.String()
	switch e.Type.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		want = "an integer"
		if num, ok := strings.CutPrefix(e.Value, "number "); ok {
			if strings.ContainsAny(num, ".eE") {
				return "must be an integer, got " + shorten(num)
			}
			return "is out of range: " + shorten(num)
		}
	case reflect.Float32, reflect.Float64:
		want = "a number"
		if num, ok := strings.CutPrefix(e.Value, "number "); ok {
			return "is out of range: " + shorten(num)
		}
	case reflect.String:
		want = "a string"
	case reflect.Bool:
		want = "a boolean"
	case reflect.Slice, reflect.Array:
		want = "an array"
	case reflect.Struct, reflect.Map:
		want = "an object"
	}
	got := e.Value
	if strings.HasPrefix(got, "number") {
		got = "number"
	}
	return "must be " + want + ", got " + got
}

func shorten(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

func skipSpace(data []byte, off int) int {
	for off < len(data) && strings.IndexByte(" \t\r\n,:", data[off]) >= 0 {
		off++
	}
	return off
}
