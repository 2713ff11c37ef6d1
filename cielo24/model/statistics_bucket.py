"""StatisticsBucket: one period of aggregate_statistics."""

from datetime import datetime
from typing import Optional

from cielo24.model_utils import Model


class StatisticsBucket(Model):
    """Billable minutes in one period (a week, a month, or the whole range).

    Only the metrics asked for are present. total = mechanical + premium + professional =
    english_transcription + foreign_transcription + translation.
    """

    billable_minutes_total: Optional[float] = None
    billable_minutes_mechanical: Optional[float] = None
    billable_minutes_premium: Optional[float] = None
    billable_minutes_professional: Optional[float] = None
    billable_minutes_foreign_transcription: Optional[float] = None
    billable_minutes_translation: Optional[float] = None
    billable_minutes_english_transcription: Optional[float] = None
    start_date: Optional[datetime] = None
    end_date: Optional[datetime] = None
