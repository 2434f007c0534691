def meetings_tab(request, party):
    raise NotImplementedError
