"""`make cluster`: the production shape, on this machine, from a clean clone.

    nginx        127.0.0.1:8400   load balancer and caching proxy (deploy/nginx.conf)
    app server   127.0.0.1:8401   gunicorn, 2 workers, documents in var/cluster/app1/
    app server   127.0.0.1:8402   gunicorn, 2 workers, documents in var/cluster/app2/
    Redis        127.0.0.1:8479   a server of its own (pages, throttles), keeps nothing
    worker       —                manage.py db_worker (background jobs, events.jobs)
    PostgreSQL   127.0.0.1:5432   the machine's, database `newsroom_cluster`

Each process is started in a session of its own and stopped by its id — on Ctrl-C,
or when any of them dies. `Cluster` is also what the cluster benchmark
(bench/cluster.py) and the suite's short version of it (tests/test_cluster.py) start,
with other ports, folders and a database of their choosing; they stop and start its
parts to test faults.
"""

import getpass
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = "/etc/nginx/mime.types"
DATABASE = "postgres://postgres@127.0.0.1:5432/newsroom_cluster"


@dataclass
class Cluster:
    folder: Path  # logs, documents, nginx's cache and state
    database_url: str = DATABASE
    proxy_port: int = 8400
    app_ports: tuple = (8401, 8402)
    redis_port: int = 8479
    settings_module: str = "newsroom.settings"
    workers_per_app: int = 2
    proxy_max_age: int = 5  # s-maxage of exports: how long nginx serves before it asks
    environment: dict = field(default_factory=dict)  # more for every process
    processes: dict = field(default_factory=dict)  # name -> Popen

    @property
    def url(self):
        return f"http://127.0.0.1:{self.proxy_port}"

    def app_url(self, number):
        return f"http://127.0.0.1:{self.app_ports[number - 1]}"

    # -- the whole --------------------------------------------------------------------

    def start(self, prepare=True):
        self.folder.mkdir(parents=True, exist_ok=True)
        if prepare:
            self.prepare()
        self.start_redis()
        for number in range(1, len(self.app_ports) + 1):
            self.start_app(number)
        self.start_worker()
        self.start_nginx()
        return self

    def stop(self):
        for name in reversed(list(self.processes)):
            self._stop(name)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def prepare(self):
        """What every release does before the servers start (README, "Running in
        production"): database, static files, the seed, renderings, archives."""
        create_database(self.database_url)
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"],
                        ["load_seed"], ["make_renderings"], ["make_archives"]):  # fmt: skip
            self.manage(*command)

    def manage(self, *args, verbosity=0):
        done = subprocess.run(
            [PYTHON, "manage.py", *args, f"--verbosity={verbosity}"], cwd=ROOT, env=self.env(),
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    def env(self, **more):
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))},
            "DJANGO_SETTINGS_MODULE": self.settings_module,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": self.secret_key(),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "TRUSTED_PROXIES": "1",  # nginx
            "NEWSROOM_URL": self.url,
            "EXPORT_PROXY_MAX_AGE": str(self.proxy_max_age),
            "WEBSUB_REFRESH_PROXY": "1",  # nginx keeps what the worker fetches anew
            "DOCUMENTS_LOG_LEVEL": "INFO",  # a line for every document written
            **self.environment,
            **more,
        }

    def secret_key(self):
        path = self.folder / "secret_key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(50))
        return path.read_text()

    # -- the parts ----------------------------------------------------------------------

    def start_redis(self):
        self._start("redis", ["redis-server", "--port", str(self.redis_port), "--bind",
                              "127.0.0.1", "--save", "", "--appendonly", "no",
                              "--dir", str(self.folder)])  # fmt: skip
        wait_for_port(self.redis_port)

    def stop_redis(self):
        self._stop("redis")

    def start_app(self, number):
        port = self.app_ports[number - 1]
        env = self.env(
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_WORKERS=str(self.workers_per_app),
            GUNICORN_ACCESSLOG="/dev/null",
            DOCUMENTS_DIR=str(self.folder / f"app{number}" / "documents"),
            THROTTLE_DIR=str(self.folder / f"app{number}" / "throttle"),
        )
        self._start(f"app{number}", [PYTHON, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
                    env=env)  # fmt: skip
        wait_for_http(f"http://127.0.0.1:{port}/robots.txt")

    def stop_app(self, number):
        self._stop(f"app{number}")

    def start_worker(self):
        self._start("worker", [PYTHON, "manage.py", "db_worker", "--interval", "0.5",
                               "--no-reload", "--no-startup-delay"])  # fmt: skip

    def stop_worker(self):
        self._stop("worker")

    def start_nginx(self):
        run = self.folder / "nginx"
        run.mkdir(exist_ok=True)
        upstreams = "\n        ".join(
            f"server 127.0.0.1:{port} max_fails=1 fail_timeout=2s;" for port in self.app_ports
        )
        config = string.Template((ROOT / "deploy" / "nginx.conf").read_text()).safe_substitute(
            RUN=run,
            MIME_TYPES=MIME_TYPES,
            USER=getpass.getuser(),
            UPSTREAMS=upstreams,
            LISTEN=f"127.0.0.1:{self.proxy_port}",
        )
        (run / "nginx.conf").write_text(config)
        self._start("nginx", [NGINX, "-p", str(run), "-c", str(run / "nginx.conf"),
                              "-e", str(run / "nginx-error.log")])  # fmt: skip
        wait_for_http(f"{self.url}/robots.txt")

    def log(self, name):
        return self.folder / f"{name}.log"

    def _start(self, name, command, env=None):
        self._stop(name)
        with self.log(name).open("a") as log:
            self.processes[name] = subprocess.Popen(
                command, cwd=ROOT, env=env or self.env(), stdout=log, stderr=log,
                start_new_session=True,  # Ctrl-C reaches us; we stop them, by their ids
            )  # fmt: skip

    def _stop(self, name, seconds=20):
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def dead(self):
        """The names of the parts that stopped on their own."""
        return [name for name, process in self.processes.items() if process.poll() is not None]


def create_database(url):
    """A PostgreSQL database of that name, if there is none yet (SQLite makes its own)."""
    if not url.startswith("postgres"):
        return
    import psycopg

    server, _, name = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def wait_for_port(port, seconds=20):
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on 127.0.0.1:{port}") from None
            time.sleep(0.05)


def wait_for_http(url, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} does not answer") from None
            time.sleep(0.1)


def interrupted(signum, frame):
    """A `kill` (or make stopped) stops the parts as Ctrl-C does."""
    raise KeyboardInterrupt


def main():
    signal.signal(signal.SIGTERM, interrupted)
    cluster = Cluster(ROOT / "var" / "cluster")
    print("Preparing the database (newsroom_cluster), static files, seed …", flush=True)
    try:
        cluster.start()
        print(cluster.manage("ensure_admin", verbosity=1), end="")
        print(f"Serving on {cluster.url}/ — nginx in front of {cluster.app_url(1)} and "
              f"{cluster.app_url(2)}, Redis on {cluster.redis_port}, one worker. "
              f"Logs in {cluster.folder}/. Ctrl-C stops them all.", flush=True)  # fmt: skip
        while not cluster.dead():
            time.sleep(0.5)
        print(f"Stopped on its own: {', '.join(cluster.dead())} (see its log); stopping the rest.")
    except KeyboardInterrupt:
        print("\nStopping …")
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
