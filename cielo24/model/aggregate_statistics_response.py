"""AggregateStatisticsResponse: what aggregate_statistics returns."""

from datetime import datetime
from typing import Optional

from cielo24.model.statistics_bucket import StatisticsBucket
from cielo24.model_utils import Model


class AggregateStatisticsResponse(Model):
    """Billable minutes per period (``data``) over the range from start_date to end_date."""

    data: list[StatisticsBucket]
    start_date: Optional[datetime] = None
    end_date: Optional[datetime] = None
