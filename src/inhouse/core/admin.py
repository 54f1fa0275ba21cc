from django.contrib import admin

from inhouse.core.models import Account, Author, Item, Workspace


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("screen_name", "workspace", "platform_uid", "is_enterprise")
    exclude = ("token_encrypted",)


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ("screen_name", "uid", "followers_count", "verified")
    search_fields = ("screen_name", "uid")


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("platform_id", "kind", "created_at", "sentiment", "intent")
    list_filter = ("kind", "sentiment", "intent")
    search_fields = ("platform_id", "text")
    raw_id_fields = ("author", "account")
