"""Names the dead-code check cannot see used: called by a library by name."""
