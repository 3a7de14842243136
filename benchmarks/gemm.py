"""Descent's GEMM against NumPy/OpenBLAS, measured in the same run.

Runs, for several interleaved rounds (so that load from other processes hits
every contender alike), and keeps the best GFLOPS of each contender per size:

  * numpy (env as set)    NumPy float32 `a @ b` with the environment as it is
                          (this machine sets OPENBLAS_CORETYPE=Haswell, which can
                          keep OpenBLAS off its best kernel);
  * numpy (best kernel)   the same with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
                          removed, so OpenBLAS picks its kernel from the CPU;
  * descent               `descent bench gemm --json` (release build).

All with the same thread count. Prints a table with the ratios Descent/NumPy
and, last, one JSON line with every number.

Usage: python3 benchmarks/gemm.py [--sizes 256,512,1024] [--threads 2] [--rounds 3]
       [--descent .build/release/descent]
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--sizes", default="256,512,1024")
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--descent", default=os.path.join(ROOT, ".build", "release", "descent"))
arguments = parser.parse_args()


def last_json_line(output, what):
    for line in reversed(output.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise SystemExit(f"{what} printed no JSON line:\n{output}")


def run_numpy(unset_coretype):
    environment = dict(os.environ)
    if unset_coretype:
        environment.pop("OPENBLAS_CORETYPE", None)
        environment.pop("OPENBLAS_L2_SIZE", None)
    command = [sys.executable, os.path.join(HERE, "numpy_gemm.py"),
               "--sizes", arguments.sizes, "--threads", str(arguments.threads)]
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=True)
    return last_json_line(result.stdout, "numpy_gemm.py")


def run_descent():
    command = [arguments.descent, "bench", "gemm", "--sizes", arguments.sizes,
               "--threads", str(arguments.threads), "--json"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return last_json_line(result.stdout, "descent bench gemm")


def main():
    if not os.path.exists(arguments.descent):
        raise SystemExit(f"{arguments.descent} not found: run `swift build -c release --product descent` first")
    contenders = {
        "numpy (env as set)": lambda: run_numpy(unset_coretype=False),
        "numpy (best kernel)": lambda: run_numpy(unset_coretype=True),
        "descent": run_descent,
    }
    best = {name: {} for name in contenders}
    details = {}
    for round_index in range(arguments.rounds):
        for name, run in contenders.items():
            report = run()
            details[name] = {key: value for key, value in report.items() if key != "gemm"}
            for entry in report["gemm"]:
                best[name][entry["n"]] = max(best[name].get(entry["n"], 0.0), entry["gflops"])
        print(f"round {round_index + 1}/{arguments.rounds} done", file=sys.stderr)

    print(f"float32 GEMM, n×n·n×n, {arguments.threads} threads, best of {arguments.rounds} interleaved rounds")
    print(f"  OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')!s}  "
          f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE')!s}")
    for name in ("numpy (env as set)", "numpy (best kernel)"):
        blas = details[name].get("blas", {})
        print(f"  {name}: {blas.get('library')} {blas.get('version', '')} kernel {blas.get('kernel')}")
    print(f"  descent: kernel {details['descent'].get('kernel')}")
    print()
    header = f"{'n':>6} {'numpy env':>11} {'numpy best':>11} {'descent':>9} {'÷ env':>7} {'÷ best':>7}"
    print(header)
    print("-" * len(header))
    rows = []
    for n in sorted(best["descent"]):
        as_set = best["numpy (env as set)"].get(n, float("nan"))
        unset = best["numpy (best kernel)"].get(n, float("nan"))
        ours = best["descent"][n]
        rows.append({"n": n, "numpy_env": round(as_set, 2), "numpy_best_kernel": round(unset, 2),
                     "descent": round(ours, 2), "ratio_env": round(ours / as_set, 3),
                     "ratio_best_kernel": round(ours / unset, 3)})
        print(f"{n:>6} {as_set:>11.1f} {unset:>11.1f} {ours:>9.1f} {ours / as_set:>7.2f} {ours / unset:>7.2f}")
    print("(GFLOPS = 2·n³ / best seconds / 1e9; ratios are Descent ÷ NumPy)")
    print(json.dumps({"threads": arguments.threads, "rounds": arguments.rounds, "details": details, "gemm": rows}))


main()
