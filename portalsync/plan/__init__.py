"""Plans: make one from desired and live state, judge its safety, save it, and check it is current.

Apply and the CLI import from here; the modules below are the implementation.
"""

from portalsync.plan.core import Plan, make_plan
from portalsync.plan.document import FORMAT_VERSION, plan_document
from portalsync.plan.safety import Safety, ThresholdBreach
from portalsync.plan.saved import SavedPlan, load_plan, save_plan, stale_objects

__all__ = [
    "FORMAT_VERSION",
    "Plan",
    "Safety",
    "SavedPlan",
    "ThresholdBreach",
    "load_plan",
    "make_plan",
    "plan_document",
    "save_plan",
    "stale_objects",
]
