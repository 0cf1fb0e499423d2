#!/usr/bin/env python3
"""Drive `lode repl` on a pseudo-terminal (readline needs one) and print
what it shows, for tests/lua/host_spec.lua: tab completion of a Doc's
methods, Ctrl-C at the prompt and during a running loop, Ctrl-D to leave.

    repl_pty.py LODE [KEYS...]

types each KEYS argument in turn instead (backslash escapes such as \t,
\n and \x04 decoded), then Ctrl-D."""
import codecs, os, pty, select, sys, time

DEFAULT_STEPS = [b"d = lode.from_string('x')\n", b"d:line_c\t", b"\n",
                 b"half typed\x03", b"while true do end\n", b"\x03", b"6 * 7\n", b"\x04"]

def main(binary, steps):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["HOME"] = os.environ.get("TMPDIR", "/tmp")
        os.execv(binary, [binary, "repl"])

    def read(seconds=1.0):
        out, end = b"", time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    out += os.read(fd, 4096)
                except OSError:
                    break
        return out.decode("utf-8", "replace")

    read()
    shown = []
    for keys in steps:
        os.write(fd, keys)
        time.sleep(0.3)
        shown.append(read(0.7))
    _, status = os.waitpid(pid, 0)
    print("".join(shown))
    print("exit", os.waitstatus_to_exitcode(status))

if __name__ == "__main__":
    keys = [codecs.decode(k, "unicode_escape").encode("latin-1") for k in sys.argv[2:]]
    main(sys.argv[1], keys + [b"\x04"] if keys else DEFAULT_STEPS)
