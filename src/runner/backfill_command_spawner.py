# The command spawner: starts command-target runs for the coordinator with posix_spawn and reports their output and exit.
#
# Node starts children with fork(), whose cost grows with the parent's memory (an extension host, or an
# engine holding thousands of runs); posix_spawn from this small process does not copy anything. The
# coordinator sends one JSON object per line on stdin and reads one per line on stdout:
#
#   in:  {"op": "env", "env": {...}}                          the base environment of every run (sent first)
#        {"op": "spawn", "id": 7, "argv": [...], "cwd": "/x", "env": {...}}    env: added to the base
#   out: {"ready": true, "pid": 123}
#        {"id": 7, "pid": 4567}                                the run leads its own process group (pgid = pid)
#        {"id": 7, "error": "...", "errno": "ENOENT"}          it could not start
#        {"id": 7, "out": "text"} / {"id": 7, "err": "text"}   stdout / stderr (each in the order written)
#        {"id": 7, "exit": 0, "signal": null}                  after the exit and the end of its output
#
# On the end of stdin it stops taking runs, waits for those running, and exits. No shell is involved: argv
# goes to posix_spawn as a list, and the program is looked up on the run's own PATH.
import codecs
import errno
import json
import os
import selectors
import signal
import sys

ACTIONS_STDIN = (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0)
# Runs start with default signal handling, as from Node: Python ignores SIGPIPE (and SIGXFSZ), and this
# process ignores SIGINT, and posix_spawn would pass an ignored signal on.
DEFAULT_SIGNALS = [s for s in (signal.SIGPIPE, signal.SIGINT, getattr(signal, "SIGXFSZ", None)) if s is not None]


def send(obj):
    data = (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(1, view):]
    except BrokenPipeError:
        # The coordinator is gone: nobody is left to report to (its successor adopts the runs by pid).
        os._exit(0)


def resolve_program(program, env):
    """Like execvp on the run's PATH (not this process's), so the run finds what its environment says."""
    if "/" in program:
        return program
    for folder in env.get("PATH", os.defpath).split(os.pathsep):
        candidate = os.path.join(folder or ".", program)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise FileNotFoundError(errno.ENOENT, "not found on PATH", program)


class Spawner:
    def __init__(self):
        self.sel = selectors.DefaultSelector()
        self.base_env = dict(os.environ)
        self.by_pid = {}
        self.pending = b""
        self.accepting = True
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_r, False)
        os.set_blocking(wake_w, False)
        # Ctrl-C in a terminal reaches the whole foreground group, this process too: the coordinator decides
        # what happens to the runs (it cancels them), so the spawner lives on to report how they ended.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # SIGCHLD wakes select() through this pipe; the handler itself does nothing.
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.set_wakeup_fd(wake_w)
        self.wake_r = wake_r
        self.sel.register(wake_r, selectors.EVENT_READ, "wake")
        self.sel.register(0, selectors.EVENT_READ, "in")

    def spawn(self, req):
        run_id = req["id"]
        env = dict(self.base_env)
        env.update(req.get("env") or {})
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        try:
            try:
                os.chdir(req["cwd"])
            except OSError as e:
                raise OSError(e.errno, "%s (the working directory %s)" % (e.strerror, req["cwd"])) from None
            path = resolve_program(req["argv"][0], env)
            actions = [ACTIONS_STDIN, (os.POSIX_SPAWN_DUP2, out_w, 1), (os.POSIX_SPAWN_DUP2, err_w, 2)]
            pid = os.posix_spawn(path, req["argv"], env, file_actions=actions, setpgroup=0,
                                 setsigdef=DEFAULT_SIGNALS, setsigmask=[])
        except OSError as e:
            for fd in (out_r, out_w, err_r, err_w):
                os.close(fd)
            code = errno.errorcode.get(e.errno, "EIO") if e.errno else "EIO"
            send({"id": run_id, "error": "%s: %s" % (code, e.strerror or e), "errno": code})
            return
        os.close(out_w)
        os.close(err_w)
        # stderr apart from stdout: a failed run is known by its last stderr line.
        run = {"id": run_id, "pid": pid, "open": 2, "eof": False, "status": None}
        self.by_pid[pid] = run
        for fd, stream in ((out_r, "out"), (err_r, "err")):
            self.sel.register(fd, selectors.EVENT_READ, (run, fd, stream, codecs.getincrementaldecoder("utf-8")("replace")))
        send({"id": run_id, "pid": pid})

    def output(self, source):
        run, fd, stream, decoder = source
        data = os.read(fd, 65536)
        if data:
            text = decoder.decode(data)
            if text:
                send({"id": run["id"], stream: text})
            return
        tail = decoder.decode(b"", final=True)
        if tail:
            send({"id": run["id"], stream: tail})
        self.sel.unregister(fd)
        os.close(fd)
        run["open"] -= 1
        run["eof"] = run["open"] == 0
        self.finish(run)

    def reap(self):
        try:
            while os.read(self.wake_r, 4096):
                pass
        except BlockingIOError:
            pass
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            run = self.by_pid.get(pid)
            if run is not None:
                run["status"] = status
                self.finish(run)

    def finish(self, run):
        if not run["eof"] or run["status"] is None:
            return
        del self.by_pid[run["pid"]]
        status = run["status"]
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            try:
                name = signal.Signals(sig).name
            except ValueError:
                name = "SIG%d" % sig
            send({"id": run["id"], "exit": None, "signal": name})
        else:
            send({"id": run["id"], "exit": os.WEXITSTATUS(status), "signal": None})

    def commands(self):
        chunk = os.read(0, 65536)
        if not chunk:
            self.accepting = False
            self.sel.unregister(0)
            return
        self.pending += chunk
        *lines, self.pending = self.pending.split(b"\n")
        for line in lines:
            if not line.strip():
                continue
            req = json.loads(line)
            if req.get("op") == "env":
                self.base_env = {str(k): str(v) for k, v in req["env"].items()}
            elif req.get("op") == "spawn":
                self.spawn(req)

    def serve(self):
        send({"ready": True, "pid": os.getpid()})
        while self.accepting or self.by_pid:
            for key, _ in self.sel.select(timeout=1.0 if not self.accepting else None):
                if key.data == "in":
                    self.commands()
                elif key.data == "wake":
                    self.reap()
                else:
                    self.output(key.data)
            # A SIGCHLD that arrived before the wakeup fd was read is still reaped here.
            if not self.accepting:
                self.reap()


if __name__ == "__main__":
    Spawner().serve()
