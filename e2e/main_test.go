//go:build !wasm

package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// root is the repository root (the parent of this package's directory).
var root string

// studioBin is the server binary every test runs.
var studioBin string

// srv is the server shared by the tests that do not stop it.
var srv *server

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	if root, err = filepath.Abs(".."); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	if _, err := os.Stat(chromeBin()); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: browser %s not found (set CHROME_BIN, or apt-get install chromium-headless-shell): skipping\n", chromeBin())
		return 0
	}
	// Screenshots of failures are evidence of this run only.
	old, _ := filepath.Glob(filepath.Join(screenshotDir(), "failed-*.png"))
	for _, f := range old {
		os.Remove(f)
	}
	tmp, err := os.MkdirTemp("", "studio-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	if studioBin, err = buildAll(tmp); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: build:", err)
		return 1
	}
	srv, err = startServer(filepath.Join(tmp, "server.log"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: start server:", err)
		return 1
	}
	code := m.Run()
	if err := srv.stop(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: stop server:", err)
		code = 1
	}
	if code != 0 {
		fmt.Fprintf(os.Stderr, "--- server log (last 60 lines of %s)\n%s\n", srv.logPath, srv.logTail(60))
	}
	return code
}

// chromeBin is the browser the tests drive.
func chromeBin() string {
	if b := os.Getenv("CHROME_BIN"); b != "" {
		return b
	}
	return "/usr/lib/chromium/chromium-headless-shell"
}

// buildAll returns the server binary to test. With $STUDIO_BIN set it trusts
// that binary and the web/ directory next to it (make e2e builds both).
// Otherwise it builds web/app.wasm with `make wasm` (the Makefile's one
// recipe: build, pack, and precompress only when the bytes changed) and
// builds cmd/studio into dir.
func buildAll(dir string) (string, error) {
	if b := os.Getenv("STUDIO_BIN"); b != "" {
		if _, err := os.Stat(filepath.Join(root, "web", "app.wasm")); err != nil {
			return "", fmt.Errorf("STUDIO_BIN is set but web/app.wasm is missing (run make build): %w", err)
		}
		return b, nil
	}
	mk := exec.Command("make", "-s", "wasm")
	mk.Dir, mk.Stdout, mk.Stderr = root, os.Stderr, os.Stderr
	if err := mk.Run(); err != nil {
		return "", fmt.Errorf("make wasm: %w", err)
	}
	newBytes, err := os.ReadFile(filepath.Join(root, "web", "app.wasm"))
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(newBytes)
	bin := filepath.Join(dir, "studio")
	version := "e2e-" + hex.EncodeToString(sum[:6])
	if err := goCmd("build", "-trimpath", "-ldflags=-X main.version="+version, "-o", bin, "./cmd/studio").run(); err != nil {
		return "", err
	}
	return bin, nil
}

type command struct{ *exec.Cmd }

func goCmd(args ...string) command {
	c := exec.Command("go", args...)
	c.Dir = root
	c.Stdout, c.Stderr = os.Stderr, os.Stderr
	c.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-buildvcs=false")
	return command{c}
}

func (c command) env(kv ...string) command {
	c.Env = append(c.Env, kv...)
	return c
}

func (c command) run() error {
	if err := c.Cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", strings.Join(c.Args, " "), err)
	}
	return nil
}

// server is a running cmd/studio process.
type server struct {
	URL     string // http://127.0.0.1:port
	cmd     *exec.Cmd
	logPath string
	logFile *os.File
	done    chan struct{}
	waitErr error
	once    sync.Once
}

// wsTick is the WebSocket emit cadence of the test servers: short, so that
// live updates show up within a test's patience.
const wsTick = 200 * time.Millisecond

// startServer starts the server binary on a free loopback port from the
// repository root (it serves ./web), writing its output to logPath, and
// waits until /api/healthz answers 200.
func startServer(logPath string, extraArgs ...string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	args := append([]string{"-addr", addr, "-tick", wsTick.String()}, extraArgs...)
	cmd := exec.Command(studioBin, args...)
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = append(os.Environ(), "WS_TICK="+wsTick.String(), "STUDIO_ADDR="+addr)
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	s := &server{URL: "http://" + addr, cmd: cmd, logPath: logPath, logFile: logFile, done: make(chan struct{})}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.done)
	}()
	if err := s.waitHealthy(30 * time.Second); err != nil {
		s.stop()
		return nil, fmt.Errorf("%w\n--- server log\n%s", err, s.logTail(40))
	}
	return s, nil
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func (s *server) waitHealthy(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return fmt.Errorf("server exited before it was healthy: %v", s.waitErr)
		default:
		}
		resp, err := client.Get(s.URL + "/api/healthz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s/api/healthz not healthy after %v", s.URL, timeout)
}

// stop ends the server gracefully (SIGTERM), or kills it after 10 s. It
// reports an error when the server did not exit cleanly.
func (s *server) stop() error {
	var err error
	s.once.Do(func() {
		defer s.logFile.Close()
		select {
		case <-s.done:
			err = fmt.Errorf("server had already exited: %v", s.waitErr)
			return
		default:
		}
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
			var exit *exec.ExitError
			if s.waitErr != nil && !(errors.As(s.waitErr, &exit) && exit.Sys().(syscall.WaitStatus).Signaled()) {
				err = fmt.Errorf("server exit: %v", s.waitErr)
			}
		case <-time.After(10 * time.Second):
			s.cmd.Process.Kill()
			<-s.done
			err = errors.New("server did not stop within 10 s of SIGTERM; killed")
		}
	})
	return err
}

// logTail returns the last n lines of the server's output.
func (s *server) logTail(n int) string {
	data, err := os.ReadFile(s.logPath)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// newServer starts a server of its own for a test that stops or mutates it
// beyond what other tests tolerate, and stops it when the test ends.
func newServer(t *testing.T, extraArgs ...string) *server {
	t.Helper()
	s, err := startServer(filepath.Join(t.TempDir(), "server.log"), extraArgs...)
	if err != nil {
		t.Fatalf("start server: %v", err)
	}
	t.Cleanup(func() {
		s.stop()
		if t.Failed() {
			t.Logf("server log (last 40 lines):\n%s", s.logTail(40))
		}
	})
	return s
}

// stepTimeout bounds one browser step (a navigation plus its waits).
func stepTimeout() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("E2E_STEP_TIMEOUT")); err == nil && d > 0 {
		return d
	}
	return 20 * time.Second
}

// withTimeout is context.WithTimeout with the step timeout.
func withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, stepTimeout())
}
