"""The Telegram adapter: updates in, Events to the dialogue, Replies rendered as HTML and keyboards.

settings.py reads the token and options, app.py wires the PTB Application, handlers.py turns
updates into Events, render.py and delivery.py show the Replies, profile.py holds the command menu
and descriptions from dialogues/telegram.yaml. Nothing here is imported by the dialogue engine.
"""
