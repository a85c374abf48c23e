"""Everything that talks to, imitates or signs for JobMojito, the interview platform."""
