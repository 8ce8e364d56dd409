"""Profile one export rendered with nothing cached: `python bench/profile_export.py calendar.ics 1000`.

Seeds the bench timelines into bench/work/ (as `make bench` does) unless they are
there, forgets every cache as `make bench` does before a nothing-cached request,
then runs the request under cProfile and prints the top of the profile by own time
(`--sort cumulative` for the other view). The figures in bench/README.md come from it.
"""

import argparse
import cProfile
import io
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import run  # sets the environment of the bench


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", help="feed.rss, calendar.ics, … or page")
    parser.add_argument("size", type=int, help="100, 1000 or 10000")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=25)
    options = parser.parse_args()

    import django

    run.WORK.mkdir(parents=True, exist_ok=True)
    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from events.models import Timeline

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    if not Timeline.objects.filter(slug=f"bench-{options.size}").exists():
        from bench.seed import seed

        seed([options.size])
        run.analyze()
    client = Client(HTTP_HOST=f"{run.HOST}:{run.PORT}")
    url = run.path_of(options.size, options.export)
    run.body(client.get(url))  # imports, templates and compiled queries: once per process
    run.forget_everything()
    profile = cProfile.Profile()
    profile.enable()
    milliseconds, queries = run.request_in_process(client, url)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(options.sort).print_stats(options.top)
    print(f"{url}: {milliseconds:,.1f} ms under the profiler, {queries} SQL queries")
    print(out.getvalue())


if __name__ == "__main__":
    main()
