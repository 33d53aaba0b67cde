"""Test helpers for snapdesk: real servers and fixtures usable from any test."""
