from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password


class SignInForm(AuthenticationForm):
    """Chinese sign-in form; deliberately without a "remember me" box (第十二条 forbids automatic login)."""

    error_messages = {
        "invalid_login": "用户名或密码错误。连续失败%(limit)s次将锁定账号。",
        "inactive": "该账号已停用。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"

    def get_invalid_login_error(self):
        from govmedia import policy

        return forms.ValidationError(
            self.error_messages["invalid_login"] % {"limit": policy.LOGIN_FAILURE_LIMIT}, code="invalid_login"
        )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="当前密码", widget=forms.PasswordInput(attrs={"class": "form-control",
                                   "autocomplete": "current-password"}))
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput(attrs={"class": "form-control",
                                   "autocomplete": "new-password"}), help_text=" ".join(password_validators_help_texts()))
    new_password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput(attrs={"class": "form-control",
                                    "autocomplete": "new-password"}))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError("当前密码不正确")
        return value

    def clean(self):
        data = super().clean()
        new, again = data.get("new_password"), data.get("new_password2")
        if new and again and new != again:
            self.add_error("new_password2", "两次输入的新密码不一致")
        elif new:
            if new == data.get("old_password"):
                self.add_error("new_password", "新密码不能与当前密码相同")
            else:
                try:
                    validate_password(new, self.user)
                except forms.ValidationError as exc:
                    self.add_error("new_password", exc)
        return data


class SecondFactorForm(forms.Form):
    """The 6-digit code an authenticator app shows; spaces typed between the digits are ignored."""

    token = forms.CharField(label="动态口令", max_length=20, widget=forms.TextInput(attrs={
        "class": "form-control form-control-lg text-center", "autocomplete": "one-time-code",
        "inputmode": "numeric", "autofocus": True}))

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not (token.isdigit() and len(token) == 6):
            raise forms.ValidationError("请输入身份验证器上显示的6位数字")
        return token
