"""Custom actions of the Waypoint assistant (rasa_sdk). One module per topic; every text they
send comes from resources/ (replies.yml, answer_formats.yml, the catalog), never from code."""
