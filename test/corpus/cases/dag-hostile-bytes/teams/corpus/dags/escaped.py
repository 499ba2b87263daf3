x = "$${HOME} %%{ y }"
