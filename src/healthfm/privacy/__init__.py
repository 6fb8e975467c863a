"""The privacy gate: pseudonyms, date shifts, PHI scrubbing, DICOM de-identification, consent."""
