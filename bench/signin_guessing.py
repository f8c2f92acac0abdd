"""Password guessing against a running Stride (docs/SECURITY.md, "Sign-in and sessions", has the figures).

    python bench/signin_guessing.py BASE_URL N USER MODE
      MODE login : N wrong passwords for USER on the login page (with its CSRF token), then the right one
      MODE API   : the same on the API token endpoint
      MODE spray : one wrong password each for N demo accounts (xh0010…) from this address, then USER's right one
      MODE latency: N wrong passwords for USER on the API, median and worst answer time

The right password is the demo's (stride-demo). Reset the counts between runs with manage.py axes_reset.
"""

import http.cookiejar
import re
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

base, n, user, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
RIGHT = "stride-demo"


def opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect), jar


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def post(op, url, data, headers=None):
    req = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), headers=headers or {})  # noqa: S310 (http only)
    try:
        r = op.open(req)
        return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def login_page(password):
    op, _jar = opener()
    page = op.open(base + "/accounts/login/").read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return post(
        op,
        base + "/accounts/login/",
        {"username": user, "password": password, "csrfmiddlewaretoken": csrf},
        {"Referer": base + "/accounts/login/"},
    )


def api(password):
    op, _ = opener()
    return post(op, base + "/api/v1/auth/token/", {"username": user, "password": password})


for name, fn in [(k, f) for k, f in (("login page", login_page), ("API token", api)) if k.startswith(mode)]:
    codes = {}
    t0 = time.perf_counter()
    for i in range(n):
        code, _ = fn(f"guess-{i}")
        codes[code] = codes.get(code, 0) + 1
    wrong = time.perf_counter() - t0
    code, body = fn(RIGHT)
    ok = code == 302 if name == "login page" else (code == 200 and b"token" in body)
    print(
        f"{name}: {n} wrong in {wrong:.1f}s ({1000 * wrong / n:.0f} ms each), answers {codes}; "
        f"right password then: HTTP {code} -> {'SIGNED IN' if ok else 'refused'}"
    )

if mode == "spray":
    # one wrong password each for many accounts from one address, then a real sign-in from it
    codes = {}
    t0 = time.perf_counter()
    for i in range(n):
        op, _ = opener()
        code, _ = post(op, base + "/api/v1/auth/token/", {"username": f"xh{i + 10:04d}", "password": "123456"})
        codes[code] = codes.get(code, 0) + 1
    spent = time.perf_counter() - t0
    code, body = api(RIGHT)
    print(
        f"spray: {n} accounts x 1 guess in {spent:.1f}s, answers {codes}; "
        f"{user} with the right password then: HTTP {code}"
    )

if mode == "latency":
    times, codes = [], {}
    for i in range(n):
        t = time.perf_counter()
        code, _ = api(f"g{i}")
        times.append(time.perf_counter() - t)
        codes[code] = codes.get(code, 0) + 1
    print(
        f"{user}: {n} guesses, answers {codes}, "
        f"median {1000 * statistics.median(times):.0f} ms, max {1000 * max(times):.0f} ms"
    )
