"""Django admin views of the customer record, for support staff; daily work goes through the back office."""

from django.contrib import admin

from abonent.customers.models import (
    Address,
    BankAccount,
    CallCenterStatus,
    ContactPoint,
    Note,
    Party,
    StageChange,
    Tag,
    Task,
    TrackingScope,
)


class ContactInline(admin.TabularInline):
    model = ContactPoint
    extra = 0


class AddressInline(admin.TabularInline):
    model = Address
    extra = 0


class BankAccountInline(admin.TabularInline):
    model = BankAccount
    extra = 0


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "city", "stage", "phone", "email", "tax_id", "merged_into"]
    list_filter = ["kind", "country", "stage", "call_center_status"]
    search_fields = ["name", "email", "phone", "tax_id"]
    raw_id_fields = ["sales_rep", "merged_into"]
    inlines = [ContactInline, AddressInline, BankAccountInline]


@admin.register(CallCenterStatus)
class CallCenterStatusAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "active"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["party", "from_stage", "to_stage", "at", "by"]
    raw_id_fields = ["party", "by"]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["party", "author", "created_at"]
    raw_id_fields = ["party", "author"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "party", "owner", "due_on", "done_at"]
    raw_id_fields = ["party", "owner"]


@admin.register(TrackingScope)
class TrackingScopeAdmin(admin.ModelAdmin):
    list_display = ["entity", "field", "tracked"]
