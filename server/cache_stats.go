package server

// CacheBytes returns the bytes the server's response caches hold: the
// encoded log blocks (bounded by Options.LogCacheBytes) and the encoded
// metrics responses (bounded at 16 MiB). It is memory that grows to its
// bound by design; a leak check subtracts it from the heap it watches.
func (s *Server) CacheBytes() int64 {
	var n int64
	if s.logs != nil {
		_, n = s.logs.stats()
	}
	s.metrics.mu.Lock()
	n += int64(s.metrics.bytes)
	s.metrics.mu.Unlock()
	return n
}
