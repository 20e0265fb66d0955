-- Reminder mail before a circular's deadline, sent once per unanswered household.
ALTER TABLE circular_receipt ADD COLUMN reminded_at timestamptz;
CREATE INDEX circular_deadline ON circular (deadline) WHERE deadline IS NOT NULL;
