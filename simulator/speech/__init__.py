"""Adapters to speech engines and audio devices: TTS, audio I/O, recognition, models."""
