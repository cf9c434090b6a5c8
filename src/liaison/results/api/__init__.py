"""The results API, one module per area; the router in ``liaison.api.urls`` registers them."""
