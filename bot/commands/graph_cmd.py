"""`gdpr-bot graph`: print the dialogue's state machine as a diagram, from dialogues/flow.yaml."""

from __future__ import annotations

from bot.engine import Flow, mermaid
from bot.env import ExitStatus


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("graph", help="print the dialogue's states and transitions")
    parser.add_argument("--format", choices=("mermaid",), default="mermaid")
    parser.add_argument(
        "--every-step",
        action="store_true",
        help="also draw the transitions that work from every step (a much busier picture)",
    )
    parser.set_defaults(run=run)


def run(args, env) -> int:
    flow = Flow.load(env.content.dialogues / "flow.yaml")
    env.stdout.write(mermaid(flow, every_step=args.every_step))
    return ExitStatus.OK
