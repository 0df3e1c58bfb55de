"""Assessments: a participant's self-assessment, from the questionnaire to the stored result.

Public surface -- what other domains (coaching, reports) and the composition
roots may import:

* :mod:`app.assessments.service` -- the lifecycle and reads, checking access
  through :mod:`app.accounts.policy` (``get_assessment_for``,
  ``list_assessments_for`` ...), and, for domains that authorize themselves,
  ``find_assessment``, ``find_assessments`` and ``history_of`` (a fixed number
  of statements for any number of participants);
* :mod:`app.assessments.state` -- the plain, frozen data those return
  (``AssessmentState``, ``AssessmentSummary``, ``AssessmentRecord``,
  ``RubricRef``);
* :mod:`app.assessments.result_page_models` -- the pure builder of the
  results page (``build_results``), which coaching composes with the shared
  review (:mod:`app.coaching.results_page`);
* :mod:`app.assessments.models` -- the tables, for :mod:`app.models` only.

Everything else is internal: :mod:`.repository` (every query of the
domain), :mod:`.routes`, :mod:`.pages`, :mod:`.page_models` (pure page
builders), :mod:`.forms` (no-JS posts), :mod:`.questionnaire`,
:mod:`.rubric_lookup`, :mod:`.schemas` and the CLI.
"""
