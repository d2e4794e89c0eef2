"""Waypoint gateway: the only public door of the helpline (Twilio SMS, web chat, console)."""
