package synth

import (
	"math"
	"math/rand/v2"
)

// Domains keep the random streams of different kinds of data apart, so
// that, for example, the noise of "loss" at step 10 and the log line 10 of
// the same run never share a stream.
const (
	domRun uint64 = iota + 1
	domExperiment
	domMetric
	domLog
	domIncident
	domEvent
	domModel
	domDeployment
	domHealth
	domTrace
	domSpan
	domSpanAttr
	domCreated
)

// mix is the splitmix64 finaliser: a bijective 64-bit hash.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// rng is a PCG stream seeded from (seed, domain, subject, index). Creating
// one costs a few multiplications and never allocates, so every metric
// point and log line can have its own stream: reading line 999,999 does
// not require generating the lines before it.
type rng struct{ p rand.PCG }

func newRNG(seed, domain, subject, index uint64) rng {
	return newSeeder(seed, domain, subject).at(index)
}

// seeder holds the part of newRNG's seeding that depends only on (seed,
// domain, subject), so a loop over many indexes of one subject (a metric
// series) seeds each stream with two mixes instead of four.
type seeder struct{ hi, subject, domain uint64 }

func newSeeder(seed, domain, subject uint64) seeder {
	return seeder{hi: mix(seed ^ mix(domain)), subject: subject * 0x9e3779b97f4a7c15, domain: domain}
}

// at returns the stream newRNG(seed, domain, subject, index) returns.
func (s seeder) at(index uint64) rng {
	var r rng
	r.p.Seed(s.hi, mix(s.subject^mix(index+s.domain)))
	return r
}

// u64 returns 64 random bits.
func (r *rng) u64() uint64 { return r.p.Uint64() }

// intn returns a value in [0, n); n must be > 0.
func (r *rng) intn(n int) int { return int(r.p.Uint64() % uint64(n)) }

// between returns a value in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// float returns a value in [0, 1).
func (r *rng) float() float64 { return float64(r.p.Uint64()>>11) / (1 << 53) }

// rangef returns a value in [lo, hi).
func (r *rng) rangef(lo, hi float64) float64 { return lo + (hi-lo)*r.float() }

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

// norm returns an approximately standard normal value: the Irwin-Hall sum
// of four 16-bit uniforms, rescaled. It uses only exact arithmetic, so it
// is identical on every platform. (The sum is taken in integers and
// converted once: every partial sum is an integer below 2¹⁸, so summing
// the four as floats gives the same value.)
func (r *rng) norm() float64 {
	u := r.p.Uint64()
	s := float64(u&0xffff + u>>16&0xffff + u>>32&0xffff + u>>48)
	return (s/65536 - 2) * 1.7320508075688772
}

// pick returns one element of xs.
func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }

// round6 rounds v to 1e-6: math.Exp and friends differ in the last bit
// between amd64 and wasm, and no result differs after this rounding.
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// roundTo rounds v to a multiple of 1/inv, where inv is a power of ten:
// roundTo(v, 100) keeps two decimals.
func roundTo(v, inv float64) float64 { return math.Round(v*inv) / inv }
