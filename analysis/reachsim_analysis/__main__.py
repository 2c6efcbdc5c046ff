"""python3 -m reachsim_analysis report RUN.h5 -o report.html"""
import argparse
import sys

from .files import NotReachsimOutput
from .report import write_report


def main(argv):
    parser = argparse.ArgumentParser(prog="python3 -m reachsim_analysis",
                                     description="Reports on reachsim output files.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="one self-contained HTML page for a run or a sweep")
    report.add_argument("file", help="a reachsim run or sweep file (.h5)")
    report.add_argument("-o", "--output", required=True, help="the HTML file to write")
    args = parser.parse_args(argv)
    try:
        write_report(args.file, args.output)
    except NotReachsimOutput as error:
        print(f"reachsim_analysis: {error}", file=sys.stderr)
        return 2
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
