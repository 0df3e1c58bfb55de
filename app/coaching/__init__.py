"""Coaching: review sessions on submitted assessments, the development plan, growth.

Public surface -- what reports and the composition roots may import:

* :mod:`app.coaching.report_inputs` -- ``coaching_for_report``: a report's
  coaching data, plain and participant-audience (``ReportCoaching``);
* :mod:`app.coaching.state` -- the plain, frozen data the services return
  (``ReviewState``, ``SharedReview`` -- no private-notes field --,
  ``PlanEntry``, ``Person`` ...);
* :mod:`app.coaching.calibration` -- the pure rules (flags, development
  paths, growth), which reports use to word a calibration;
* :mod:`app.coaching.results_page` and :mod:`.pages` / :mod:`.routes` --
  routers, for :mod:`app.main`; :mod:`app.coaching.models` -- the tables,
  for :mod:`app.models`.

Everything else is internal: :mod:`.service` (reviews), :mod:`.plan`,
:mod:`.overview`, :mod:`.access` (who is looking), :mod:`.repository` (every
query of the domain), :mod:`.documents` (the JSON shapes as plain dicts),
:mod:`.page_models` (pure page builders), :mod:`.forms` (no-JS posts),
:mod:`.schemas`, :mod:`.overview_schemas`. Coaching reads assessments only
through :mod:`app.assessments.service` and users through
:mod:`app.accounts.service`.
"""
