"""巡检与检查整改: rectification items (patrols and inspections) and inspections."""

from govmedia.inspections.models.inspection import Inspection, InspectionResult, Outcome
from govmedia.inspections.models.rectification import (
    EventKind,
    Rectification,
    RectificationEvent,
    RectStatus,
    Severity,
    Source,
)

__all__ = ["EventKind", "Inspection", "InspectionResult", "Outcome", "RectStatus", "Rectification",
           "RectificationEvent", "Severity", "Source"]
