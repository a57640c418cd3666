"""What courses announces, for the apps above it to act on (certificates, required learning, ...).

Both are sent inside the transaction that records the change, so a receiver's
writes commit or roll back with it. Receivers should be thin: call their own
app's service and return.
"""

from django.dispatch import Signal

#: A learner began a course (opened its first module in a round). Arguments: enrolment, started_at.
course_started = Signal()

#: A learner completed a course (a new CourseCompletion). Arguments: completion, enrolment.
course_completed = Signal()
