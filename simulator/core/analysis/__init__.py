"""Analysis of a trainee's speech: measures (timing, loudness, pitch) and text (phrases, CLEAR, scoring)."""
