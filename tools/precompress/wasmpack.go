package main

import (
	"bytes"
	"errors"
	"fmt"
)

// The Go linker writes a wasm module's initial memory as up to 100,000
// data segments, starting a new one after every run of 8 or more zero
// bytes. That keeps the raw file small, but each segment header carries a
// fresh memory offset, and brotli cannot predict those: about 120 KB of
// the compressed app.wasm is segment headers. packWasmData merges the
// segments back into a few long ones, writing the skipped zero runs out
// in full. The module's initial memory is byte for byte the same (memory
// starts zeroed); the raw file grows by the zeros, which compress to
// almost nothing.

// maxZeroRun is the longest run of zero bytes written out to merge two
// data segments; longer gaps (the alignment between the linker's data
// sections is megabytes) keep their segments apart.
const maxZeroRun = 4096

// wasm binary format constants (WebAssembly core spec, section 5.5).
const (
	wasmDataSection      = 11
	wasmDataCountSection = 12
	wasmOpI32Const       = 0x41
	wasmOpEnd            = 0x0b
)

var wasmHeader = []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}

// wasmSection is one section of a module: its id and payload.
type wasmSection struct {
	id      byte
	payload []byte
}

// dataSegment is an active data segment of memory 0: data is copied to
// memory at offset when the module is instantiated.
type dataSegment struct {
	offset uint32
	data   []byte
}

// packWasmData returns module with its data segments merged across zero
// runs of at most maxGap bytes, and the number of segments before and
// after. Segments are merged only with the segment before them in the
// module, and only when they start after its end, so the order in which
// the instantiation copies overlapping segments (the Go linker writes
// none) is kept. A module without a data section is returned unchanged.
// It fails on bytes that are not a wasm module and on data segments
// other than active ones of memory 0 with an i32.const offset, which is
// all the Go linker writes.
func packWasmData(module []byte, maxGap int) (packed []byte, before, after int, err error) {
	sections, err := parseWasmSections(module)
	if err != nil {
		return nil, 0, 0, err
	}
	di := -1
	for i, s := range sections {
		if s.id == wasmDataSection {
			di = i
		}
	}
	if di < 0 {
		return module, 0, 0, nil
	}
	segs, err := parseDataSegments(sections[di].payload)
	if err != nil {
		return nil, 0, 0, err
	}
	merged := mergeDataSegments(segs, maxGap)
	sections[di].payload = appendDataSegments(nil, merged)
	for i, s := range sections {
		if s.id == wasmDataCountSection {
			sections[i].payload = appendULEB(nil, uint64(len(merged)))
		}
	}
	out := make([]byte, 0, len(module)+len(module)/8)
	out = append(out, wasmHeader...)
	for _, s := range sections {
		out = append(out, s.id)
		out = appendULEB(out, uint64(len(s.payload)))
		out = append(out, s.payload...)
	}
	return out, len(segs), len(merged), nil
}

// parseWasmSections splits a module into its sections.
func parseWasmSections(module []byte) ([]wasmSection, error) {
	if !bytes.HasPrefix(module, wasmHeader) {
		return nil, errors.New("not a wasm module (version 1)")
	}
	var sections []wasmSection
	for p := len(wasmHeader); p < len(module); {
		id := module[p]
		size, n, err := readULEB(module[p+1:])
		if err != nil {
			return nil, fmt.Errorf("section at offset %d: %w", p, err)
		}
		start := p + 1 + n
		if size > uint64(len(module)-start) {
			return nil, fmt.Errorf("section %d at offset %d: %d bytes past the end", id, p, size)
		}
		end := start + int(size)
		sections = append(sections, wasmSection{id: id, payload: module[start:end]})
		p = end
	}
	return sections, nil
}

// parseDataSegments decodes the payload of a data section.
func parseDataSegments(payload []byte) ([]dataSegment, error) {
	count, p, err := readULEB(payload)
	if err != nil {
		return nil, fmt.Errorf("data section: %w", err)
	}
	if count > uint64(len(payload)) {
		return nil, fmt.Errorf("data section: %d segments in %d bytes", count, len(payload))
	}
	segs := make([]dataSegment, 0, count)
	for i := range count {
		seg, n, err := parseDataSegment(payload[p:])
		if err != nil {
			return nil, fmt.Errorf("data segment %d: %w", i, err)
		}
		segs = append(segs, seg)
		p += n
	}
	if p != len(payload) {
		return nil, fmt.Errorf("data section: %d bytes after the last segment", len(payload)-p)
	}
	return segs, nil
}

// parseDataSegment decodes one segment and returns its encoded length.
func parseDataSegment(b []byte) (dataSegment, int, error) {
	kind, p, err := readULEB(b)
	if err != nil {
		return dataSegment{}, 0, err
	}
	if kind != 0 {
		return dataSegment{}, 0, fmt.Errorf("segment kind %d: only active segments of memory 0 are supported", kind)
	}
	if p >= len(b) || b[p] != wasmOpI32Const {
		return dataSegment{}, 0, errors.New("offset is not an i32.const expression")
	}
	p++
	off, n, err := readSLEB32(b[p:])
	if err != nil {
		return dataSegment{}, 0, fmt.Errorf("offset: %w", err)
	}
	p += n
	if p >= len(b) || b[p] != wasmOpEnd {
		return dataSegment{}, 0, errors.New("offset expression is not a single i32.const")
	}
	p++
	size, n, err := readULEB(b[p:])
	if err != nil {
		return dataSegment{}, 0, fmt.Errorf("size: %w", err)
	}
	p += n
	if size > uint64(len(b)-p) {
		return dataSegment{}, 0, fmt.Errorf("%d bytes past the end", size)
	}
	end := p + int(size)
	return dataSegment{offset: uint32(off), data: b[p:end]}, end, nil
}

// mergeDataSegments joins each segment to the one before it when it
// starts at most maxGap bytes after that one's end, filling the gap with
// zeros. The result must give the same initial memory as segs: the zeros
// are copied after every earlier segment, so a gap an earlier segment
// reaches into would erase its bytes. The Go linker writes segments in
// ascending order but for a few, whose gaps touch nothing, so the merge
// first joins every close pair and checks the memory image; only when the
// images differ does it fall back to joining a pair only when no earlier
// segment reaches past the first one's end.
func mergeDataSegments(segs []dataSegment, maxGap int) []dataSegment {
	if out := joinSegments(segs, maxGap, false); bytes.Equal(memoryImage(out), memoryImage(segs)) {
		return out
	}
	return joinSegments(segs, maxGap, true)
}

// joinSegments is mergeDataSegments' join; with safe, a pair is joined
// only when no segment before it reaches past the first one's end.
func joinSegments(segs []dataSegment, maxGap int, safe bool) []dataSegment {
	var out []dataSegment
	var before uint64 // the largest end of out[:len(out)-1]
	for _, s := range segs {
		if k := len(out) - 1; k >= 0 {
			last := &out[k]
			end := uint64(last.offset) + uint64(len(last.data))
			if gap := int64(s.offset) - int64(end); gap >= 0 && gap <= int64(maxGap) && (!safe || before <= end) {
				last.data = append(last.data, make([]byte, gap)...)
				last.data = append(last.data, s.data...)
				continue
			}
			before = max(before, end)
		}
		// Copy: appending to a merged segment must not write into the
		// module's bytes.
		out = append(out, dataSegment{offset: s.offset, data: append([]byte(nil), s.data...)})
	}
	return out
}

// memoryImage returns the initial memory segs give, up to their last
// byte: each segment copied in order over the ones before it.
func memoryImage(segs []dataSegment) []byte {
	var img []byte
	for _, s := range segs {
		if end := int(s.offset) + len(s.data); end > len(img) {
			img = append(img, make([]byte, end-len(img))...)
		}
		copy(img[s.offset:], s.data)
	}
	return img
}

// appendDataSegments encodes a data section payload.
func appendDataSegments(b []byte, segs []dataSegment) []byte {
	b = appendULEB(b, uint64(len(segs)))
	for _, s := range segs {
		b = append(b, 0, wasmOpI32Const)
		b = appendSLEB(b, int64(int32(s.offset)))
		b = append(b, wasmOpEnd)
		b = appendULEB(b, uint64(len(s.data)))
		b = append(b, s.data...)
	}
	return b
}

var errLEB = errors.New("truncated or overlong LEB128 number")

// readULEB decodes an unsigned LEB128 number of at most 64 bits.
func readULEB(b []byte) (uint64, int, error) {
	var v uint64
	for i := 0; i < len(b) && i < 10; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 {
			return v, i + 1, nil
		}
	}
	return 0, 0, errLEB
}

// readSLEB32 decodes a signed LEB128 number of at most 32 bits.
func readSLEB32(b []byte) (int32, int, error) {
	var v int64
	for i := 0; i < len(b) && i < 5; i++ {
		v |= int64(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 {
			if shift := 7 * (i + 1); shift < 64 && b[i]&0x40 != 0 {
				v |= -1 << shift
			}
			return int32(v), i + 1, nil
		}
	}
	return 0, 0, errLEB
}

func appendULEB(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func appendSLEB(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
