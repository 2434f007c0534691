def demo_appointments_load(*, now):
    return ""
