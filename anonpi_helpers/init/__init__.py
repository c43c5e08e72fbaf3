"""Onboarding: its steps, probes and the write phase."""
