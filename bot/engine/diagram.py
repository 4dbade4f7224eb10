"""The dialogue's state machine as a Mermaid state diagram, drawn by transitions from flow.yaml itself."""

from __future__ import annotations

from bot.engine.flow import Flow


class _Drawing:
    """GraphMachine draws the graph of a model; this one only carries the state."""


def mermaid(flow: Flow, every_step: bool = False) -> str:
    """Every state and the transitions between them.

    Transitions that work from every step (menu, language, help...) and those that stay on the same
    step would draw an arrow from each state; unless `every_step`, they are listed in one comment.
    """
    transitions = flow.machine["transitions"]
    anywhere = sorted({t["trigger"] for t in transitions if _from_every_step(t)})
    drawn = [t for t in transitions if every_step or (not _from_every_step(t) and t.get("dest"))]
    config = {**flow.machine, "transitions": drawn}
    # Imported here: transitions' extensions bring asyncio (about 35 ms at every start), and only
    # `gdpr-bot graph` draws.
    from transitions.extensions import GraphMachine

    model = _Drawing()
    GraphMachine(model=model, graph_engine="mermaid", title="dialogues/flow.yaml", **config)
    diagram = model.get_graph().draw(None)
    if every_step:
        return diagram
    return f"{diagram.rstrip()}\n  %% From every step: {', '.join(anywhere)}\n"


def _from_every_step(transition: dict) -> bool:
    return transition["source"] == "*"
