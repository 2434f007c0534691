"""The rights each role starts with; administrators change them on the Roles page."""

from abonent.core.roles import Access, Role

R, W = Access.READ, Access.WRITE

DEFAULT_RIGHTS: dict[str, dict[str, Access]] = {
    Role.CUSTOMER: {},
    Role.AGENT: {
        "customers": W, "callcenter": W, "appointments": W, "dispatch": R, "contracts": R, "billing": R,
        "intranet": R,
    },
    Role.SALES_REP: {
        "customers": W, "callcenter": R, "appointments": W, "dispatch": W, "contracts": W, "billing": R,
        "commissions": R, "intranet": R,
    },
    Role.MANAGER: {
        "customers": W, "callcenter": W, "appointments": W, "dispatch": W, "contracts": W, "billing": R,
        "banking": R, "commissions": W, "imports": W, "analytics": R, "intranet": W, "accounts": R, "audit": R,
    },
    Role.ADMINISTRATOR: {
        "customers": W, "callcenter": W, "appointments": W, "dispatch": W, "contracts": W, "billing": W,
        "banking": W, "commissions": W, "imports": W, "analytics": W, "intranet": W, "accounts": W, "audit": R,
        "settings": W,
    },
}
