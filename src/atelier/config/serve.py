"""Production serving of one machine: `python -m atelier.config.serve` (what `make serve` and the Docker image run).

1. The keys: ATELIER_SECRET_KEY and ATELIER_JOURNAL_KEY come from the environment; a key missing there is read
   from DATA_DIR/secrets.env, which is created on first run with fresh random keys (mode 600, created
   atomically: two containers starting together get the same keys). A small shop has nothing to set up; the
   file must be backed up apart from the data (without the journal key, the journal of issued invoices no
   longer verifies). Several servers: give the same keys to all of them by the environment.
2. ATELIER_DEBUG=0, `atelier migrate`, `atelier collectstatic` (hashed, compressed files in DATA_DIR/static,
   served by WhiteNoise).
3. gunicorn (config `atelier.config.gunicorn`) and the background worker (`atelier worker`), each in its own
   process group; Ctrl+C or SIGTERM stops both gracefully; if either stops, the other is stopped and the exit
   code says so. `--only web` or `--only worker` runs one of them (one container each in compose.yaml).
"""

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

KEYS = ("ATELIER_SECRET_KEY", "ATELIER_JOURNAL_KEY")
SECRETS_FILE = "secrets.env"


def say(text: str) -> None:
    sys.stderr.write(f"atelier serve: {text}\n")
    sys.stderr.flush()


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and not name.startswith("#"):
            values[name.strip()] = value.strip()
    return values


def ensure_keys(env: dict, data_dir: Path) -> dict:
    """The environment with both keys: given, or read from (and first written to) DATA_DIR/secrets.env."""
    if all(env.get(key) for key in KEYS):
        return env
    path = data_dir / SECRETS_FILE
    if not path.exists():
        fresh = "".join(f"{key}={secrets.token_urlsafe(50)}\n" for key in KEYS)
        handle, temporary = tempfile.mkstemp(dir=data_dir, prefix=".secrets.")
        with os.fdopen(handle, "w") as stream:  # mkstemp: mode 600
            stream.write(
                "# Clés d'Atelier, créées au premier lancement : à sauvegarder à part, jamais à changer\n"
            )
            stream.write(fresh)
        try:
            os.link(temporary, path)  # fails if another process made it first: theirs is kept
            say(
                f"clés créées dans {path} : sauvegardez ce fichier à part (sans la clé du journal, le journal "
                "des factures ne se vérifie plus)."
            )
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    stored = read_env_file(path)
    missing = [key for key in KEYS if not env.get(key) and not stored.get(key)]
    if missing:
        raise SystemExit(f"atelier serve: {', '.join(missing)} absente de l'environnement et de {path}.")
    return {**env, **{key: stored[key] for key in KEYS if not env.get(key)}}  # an empty variable is missing


def atelier(*args: str) -> list[str]:
    return [sys.executable, "-m", "atelier", *args]


def prepare(env: dict) -> None:
    for step in (("migrate", "--noinput"), ("collectstatic", "--noinput", "-v", "0")):
        if subprocess.run(atelier(*step), env=env, check=False).returncode != 0:
            raise SystemExit(f"atelier serve: « atelier {' '.join(step)} » a échoué, serveur non démarré.")


def worker_exists(env: dict) -> bool:
    found = subprocess.run(atelier("help", "worker"), env=env, capture_output=True, check=False)
    return found.returncode == 0


def supervise(commands: dict[str, list[str]], env: dict) -> int:
    """Run the commands side by side; stop them all when one ends or on SIGINT / SIGTERM."""
    children = {
        name: subprocess.Popen(command, env=env, process_group=0) for name, command in commands.items()
    }
    stopping = []

    def stop(signum=None, frame=None):
        if not stopping:
            stopping.append(signum)
            say("arrêt…")
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGINT, signal.SIGTERM)}
    code = 0
    try:
        while any(child.returncode is None for child in children.values()):
            pid, status = os.wait()
            for name, child in children.items():
                if child.pid == pid:
                    child.returncode = os.waitstatus_to_exitcode(status)
                    if not stopping:
                        say(f"{name} s'est arrêté (code {child.returncode}) : arrêt des autres processus.")
                        code = child.returncode or 1
                    stop()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return code


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m atelier.config.serve", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--bind", help="adresse:port (défaut : ATELIER_BIND ou 127.0.0.1:8000)")
    parser.add_argument("--only", choices=("web", "worker"), help="un seul des deux processus")
    options = parser.parse_args(argv)
    env = dict(os.environ)
    if env.get("ATELIER_DEBUG", "0") not in ("", "0"):
        say("ATELIER_DEBUG ignoré : le service de production tourne avec ATELIER_DEBUG=0.")
    env["ATELIER_DEBUG"] = "0"
    data_dir = Path(env.get("ATELIER_DATA_DIR") or Path.cwd() / "var").resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    env["ATELIER_DATA_DIR"] = str(data_dir)
    if options.bind:
        env["ATELIER_BIND"] = options.bind
    env = ensure_keys(env, data_dir)
    commands = {}
    if options.only != "worker":
        prepare(env)
        config = Path(__file__).with_name("gunicorn.py")
        commands["gunicorn"] = [sys.executable, "-m", "gunicorn", "--config", str(config)]
    if options.only != "web":
        if worker_exists(env):
            commands["worker"] = atelier("worker")
        elif options.only == "worker":
            raise SystemExit("atelier serve: la commande « atelier worker » n'existe pas dans cette version.")
        else:
            say("pas de commande « atelier worker » dans cette version : serveur web seul.")
    if "gunicorn" in commands:
        say(f"Atelier sert http://{env.get('ATELIER_BIND', '127.0.0.1:8000')}/ (Ctrl+C pour arrêter)")
    return supervise(commands, env)


if __name__ == "__main__":
    sys.exit(main())
