from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from abonent.accounts.models import ApiToken, RoleRight, Team, User


@admin.register(User)
class AbonentUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "role", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = [*UserAdmin.fieldsets, ("Abonent", {"fields": ["role", "language", "phone"]})]


admin.site.register(Team)
admin.site.register(RoleRight)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["digest", "prefix"]
