"""OAuth2 scope rules: an API client gets at most the scopes it was created with."""

from oauth2_provider.oauth2_validators import OAuth2Validator


def _client_scopes(client) -> list[str]:
    user = getattr(client, "user", None)
    return (user.api_client_scopes if user is not None else "").split()


class ScopedClientValidator(OAuth2Validator):
    """Refuses scopes beyond the client's own, and defaults to all of them."""

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        return set(scopes) <= set(_client_scopes(client))

    def get_default_scopes(self, client_id, request, *args, **kwargs):
        return _client_scopes(request.client)
