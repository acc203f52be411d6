"""ORM tables: trainees (by name), their attempts (each with the trainee's group at the time), reviewers'
transcript corrections, and recording bytes for servers without a shared folder.

Times are stored as naive UTC (SQLite keeps no time zone); the repository hands out aware datetimes.
The list screen filters and sorts on the indexed columns only, so 10,000 attempts stay fast.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Trainee(Base):
    __tablename__ = "trainees"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    attempts: Mapped[list[Attempt]] = relationship(back_populates="trainee", cascade="all, delete-orphan",
                                                   passive_deletes=True)


class Attempt(Base):
    __tablename__ = "attempts"
    __table_args__ = (
        Index("ix_attempts_trainee_started", "trainee_id", "started_at"),
        Index("ix_attempts_persona_started", "persona_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"))
    trainee_group: Mapped[str | None] = mapped_column(String(200), index=True)  # class or team at the time
    persona_id: Mapped[str] = mapped_column(String(100))
    persona_type: Mapped[str] = mapped_column(String(50))
    scenario_id: Mapped[str] = mapped_column(String(100), index=True)
    language: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), index=True)
    ending: Mapped[str | None] = mapped_column(String(50), index=True)
    ending_reason: Mapped[str | None] = mapped_column(Text)
    overall: Mapped[int | None] = mapped_column(Integer, index=True)
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    timeline: Mapped[dict[str, Any]] = mapped_column(JSON)
    notes: Mapped[str] = mapped_column(Text)
    recording: Mapped[str | None] = mapped_column(String(255))
    recording_error: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)  # of an imported bundle
    # the score as recognised ({overall, scores, findings}) while corrections stand; overall/scores/findings then
    # hold the score on the corrected transcript, so lists, comparisons, trends and exports use it
    recognised_score: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    trainee: Mapped[Trainee] = relationship(back_populates="attempts")
    corrections: Mapped[list[TranscriptCorrection]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="TranscriptCorrection.turn")


class TranscriptCorrection(Base):
    """A reviewer's text for one turn; the recognised turn stays in the attempt's timeline."""

    __tablename__ = "transcript_corrections"

    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    turn: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(200))
    corrected_at: Mapped[datetime] = mapped_column(DateTime)


class RecordingBlob(Base):
    """The audio itself, for a PostgreSQL server whose reviewers share no folder."""

    __tablename__ = "recordings"

    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
