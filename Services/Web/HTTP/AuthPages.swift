import Foundation
import Hummingbird
import ServiceKit

/// Đăng nhập, đăng xuất, đổi mật khẩu (forced at first login), thông tin cá nhân and the second factor.
struct AuthPages {
    let app: WebApp

    struct Tokens: Decodable { var token: String; var mustChangePassword: Bool }

    func add(to router: Router<WebApp.Context>) {
        router.get("dang-nhap") { request, _ -> Response in
            let session = WebSession(request)
            if session.user != nil, session.user?.mustChangePassword == false { return Renderer.redirect("/van-ban-den", session: session) }
            return app.renderer.page("login", title: "Đăng nhập", session: session, ["next": LocalRedirect.path(request.query("tiep")) ?? ""])
        }
        router.post("dang-nhap") { request, context -> Response in
            let session = WebSession(request)
            let form: WebForm
            do {
                form = try await WebForm.read(request, limit: 1 << 16)
            } catch {
                return app.problemPage(error, request: request, session: session)
            }
            do {
                try session.checkCSRF(form)
                struct Login: Encodable { var username: String; var password: String; var otp: String? }
                let tokens = try await app.backend.post(
                    .documents, "/api/v1/auth/login", token: nil,
                    Login(username: form["username"] ?? "", password: form.fields["password"]?.first ?? "", otp: form["otp"]), as: Tokens.self,
                    forwardedFor: app.clientAddress(request, context))
                let next = LocalRedirect.path(form["next"]) ?? "/van-ban-den"
                var response = Renderer.redirect(tokens.mustChangePassword ? "/doi-mat-khau" : next, session: session)
                response.setCookie(WebSession.cookie(WebSession.tokenCookie, tokens.token, secure: app.settings.secureCookies, maxAge: 43_200))
                return response
            } catch let problem as BackendProblem {
                return app.renderer.page(
                    "login", title: "Đăng nhập", session: session, status: .ok,
                    ["error": problem.summary, "username": form["username"] ?? "", "next": form["next"] ?? ""])
            } catch {
                return app.problemPage(error, request: request, session: session)
            }
        }
        router.post("dang-xuat") { request, _ -> Response in
            let session = WebSession(request)
            // A logout that is not ours (cross-site) or not readable still ends the session here.
            let form = try? await WebForm.read(request, limit: 1 << 16)
            if let form, (try? session.checkCSRF(form)) != nil, let token = session.token {
                _ = try? await app.backend.call(.POST, .documents, "/api/v1/auth/logout", token: token)
            }
            var response = Renderer.redirect("/dang-nhap", session: session)
            response.setCookie(WebSession.cookie(WebSession.tokenCookie, "", secure: app.settings.secureCookies, maxAge: 0))
            return response
        }
        router.get("doi-mat-khau") { request, _ -> Response in
            await app.page(request, allowPasswordChange: true) { session in
                app.renderer.page("password", title: "Đổi mật khẩu", session: session, ["forced": session.user?.mustChangePassword == true])
            }
        }
        router.post("doi-mat-khau") { request, context -> Response in
            await app.page(request, allowPasswordChange: true) { session in
                let form = try await WebForm.read(request, limit: 1 << 16)
                try session.checkCSRF(form)
                let current = form.fields["currentPassword"]?.first ?? ""
                let new = form.fields["newPassword"]?.first ?? ""
                func again(_ fields: [String: String], _ message: String) -> Response {
                    app.renderer.page(
                        "password", title: "Đổi mật khẩu", session: session,
                        ["forced": session.user?.mustChangePassword == true, "error": message, "errors": fields])
                }
                guard new == (form.fields["confirmPassword"]?.first ?? "") else {
                    return again(["confirmPassword": "Mật khẩu nhập lại không khớp."], "Mật khẩu nhập lại không khớp.")
                }
                do {
                    struct Change: Encodable { var currentPassword: String; var newPassword: String }
                    let tokens = try await app.backend.post(
                        .documents, "/api/v1/auth/password", token: session.token, Change(currentPassword: current, newPassword: new), as: Tokens.self,
                        forwardedFor: app.clientAddress(request, context))
                    var response = Renderer.redirect("/van-ban-den?thongbao=doi-mat-khau", session: session)
                    response.setCookie(WebSession.cookie(WebSession.tokenCookie, tokens.token, secure: app.settings.secureCookies, maxAge: 43_200))
                    return response
                } catch let problem as BackendProblem where problem.status == 422 || problem.status == 400 || problem.status == 403 {
                    return again(problem.fields, problem.summary)
                }
            }
        }
        router.get("ca-nhan") { request, _ -> Response in
            await app.page(request) { session in
                struct Me: Decodable { var username: String; var fullName: String; var roles: [String]; var unit: Unit?; struct Unit: Decodable { var name: String } }
                let me = try await app.backend.get(.documents, "/api/v1/me", token: session.token, as: Me.self)
                let error: String? =
                    switch request.uri.queryParameters.get("loi") {
                    case "mat-khau": "Mật khẩu không đúng: chưa đăng ký được mã xác thực."
                    case "tam-dung": "Nhập sai nhiều lần. Vui lòng thử lại sau ít phút."
                    default: nil
                    }
                var data: [String: Any] = [
                    "me": ["username": me.username, "fullName": me.fullName, "unit": me.unit?.name ?? "", "roles": me.roles.map { Labels.role[$0] ?? $0 }.joined(separator: ", ")]
                ]
                if let error { data["error"] = error }
                return app.renderer.page("profile", title: "Thông tin cá nhân", session: session, section: .profile, data)
            }
        }
        router.post("ca-nhan/ma-xac-thuc") { request, context -> Response in
            await app.page(request) { session in
                let form = try await WebForm.read(request, limit: 1 << 16)
                try session.checkCSRF(form)
                if let code = form["code"] {
                    do {
                        _ = try await app.backend.post(.documents, "/api/v1/auth/totp/confirm", token: session.token, ["code": code], as: Backend.Empty.self)
                        return Renderer.redirect("/ca-nhan?thongbao=ma-xac-thuc", session: session)
                    } catch let problem as BackendProblem {
                        return app.renderer.page(
                            "totp", title: "Đăng ký mã xác thực", session: session, section: .profile,
                            ["error": problem.summary, "secret": form["secret"] ?? "", "url": form["url"] ?? ""])
                    }
                }
                struct Enrolment: Decodable { var secret: String; var url: String }
                do {
                    let enrolment = try await app.backend.post(
                        .documents, "/api/v1/auth/totp", token: session.token, ["password": form.fields["password"]?.first ?? ""], as: Enrolment.self,
                        forwardedFor: app.clientAddress(request, context))
                    return app.renderer.page(
                        "totp", title: "Đăng ký mã xác thực", session: session, section: .profile, ["secret": enrolment.secret, "url": enrolment.url])
                } catch let problem as BackendProblem where [400, 403, 422, 429].contains(problem.status) {
                    return Renderer.redirect("/ca-nhan?loi=" + (problem.status == 429 ? "tam-dung" : "mat-khau"), session: session)
                }
            }
        }
    }
}
