from django.contrib import admin

from abonent.customers.models import Party


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "stage", "phone", "email", "tax_id"]
    list_filter = ["kind", "country", "stage"]
    search_fields = ["name", "email", "phone", "tax_id"]
