"""A study on a SLURM cluster through dask-jobqueue (NOT run here: the
machine nn4n is developed on has no SLURM).

    python examples/python/sweep_slurm.py study.toml /shared/results/study [--jobs 40]
    python examples/python/sweep_slurm.py --print-job-script    # render the job script, submit nothing

Each SLURM job is one Dask worker process with one thread and one core
(``--cpus-per-task=1``); the results directory must be on a file system the
jobs share with this driver. Submitting the same command again after a
time-out resumes the study: completed runs are skipped.
"""

import argparse
import sys


def make_cluster(queue="normal", walltime="02:00:00", memory="2GB", python=sys.executable):
    """make_cluster returns the SLURMCluster of single-core workers (no job is submitted yet)."""
    from dask_jobqueue import SLURMCluster
    return SLURMCluster(cores=1, processes=1, memory=memory, walltime=walltime, queue=queue,
                        job_extra_directives=["--cpus-per-task=1"], python=python)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("study", nargs="?")
    ap.add_argument("results", nargs="?")
    ap.add_argument("--jobs", type=int, default=40)
    ap.add_argument("--queue", default="normal")
    ap.add_argument("--print-job-script", action="store_true")
    a = ap.parse_args()
    cluster = make_cluster(queue=a.queue)
    try:
        if a.print_job_script:
            print(cluster.job_script())
            return 0
        if not (a.study and a.results):
            ap.error("give a study file and a results directory")
        from distributed import Client
        from nn4n import sweep
        cluster.scale(jobs=a.jobs)
        with Client(cluster) as client:
            df = sweep.Study.from_toml(a.study).run(a.results, scheduler=client)
        print(f"{len(df)} records in {a.results}")
        return 0
    finally:
        cluster.close()


if __name__ == "__main__":
    sys.exit(main())
