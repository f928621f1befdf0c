"""Viewsets: authenticate, scope through a selector, validate, call one service, serialize."""
