"""Extension point of the course holders' course report (admin_views.course_report).

* COURSE_REPORT_SECTIONS: ``fn(request, *, course) -> courses.hooks.Panel | None``, a section of
  the course report that another app adds (the reports app's H5P results), rendered where the
  quiz item analysis is listed. Register with ``@hooks.register(COURSE_REPORT_SECTIONS)``.
"""

COURSE_REPORT_SECTIONS = "assessments_course_report_sections"
